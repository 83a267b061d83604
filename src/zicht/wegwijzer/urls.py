from django.urls import path

from . import views

app_name = "wegwijzer"
urlpatterns = [
    path("", views.start, name="start"),
    path("questions/", views.questions, name="questions"),
    path("advice/", views.advice, name="advice"),
    path("directory/", views.directory, name="directory"),
    path("report/", views.report, name="report"),
    path("report/add/", views.report_add, name="report-add"),
    path("screening/", views.screening_index, name="screening"),
    path("screening/<slug:tool>/", views.screening_tool, name="screening-tool"),
    path("safety/", views.safety, name="safety"),
    path("language/", views.language, name="language"),
    path("queue/", views.queue, name="queue"),
    path("queue/<int:signal_id>/", views.queue_item, name="queue-item"),
]
