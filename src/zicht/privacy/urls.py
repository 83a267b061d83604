from django.urls import path, re_path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.home, name="home"),
    path("persons/<int:person_id>/", views.person, name="person"),
    re_path(r"^persons/(?P<person_id>[0-9]+)/export/(?P<file_format>json|html|pdf)/$",
            views.export, name="export"),
    re_path(r"^persons/(?P<person_id>[0-9]+)/(?P<what>erase|restrict|lift)/$",
            views.act, name="act"),
]
