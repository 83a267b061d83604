from django.urls import path

from . import views

app_name = "actionplan"
urlpatterns = [
    path("", views.home, name="home"),
    path("actions/<int:action_id>/", views.action_detail, name="action"),
    path("actions/<int:action_id>/progress/<str:period>/", views.progress_form, name="progress"),
    path("periods/", views.periods, name="periods"),
    path("periods/<str:period>/", views.period_detail, name="period"),
    path("periods/<str:period>/report.<str:file_format>", views.period_report, name="report"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("regions/", views.regions, name="regions"),
    path("regions/<int:region_id>/", views.region_detail, name="region"),
    path("experts/", views.experts, name="experts"),
    path("experts/<int:expert_id>/", views.expert_detail, name="expert"),
    path("experts/request/", views.assignment_request, name="assignment-request"),
]
