from django.urls import path

from . import views

app_name = "figures"
urlpatterns = [
    path("", views.home, name="home"),
    path("chain/", views.chain, name="chain"),
    path("chain/upload/", views.chain_upload, name="chain-upload"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<int:job_id>/download/", views.job_download, name="job-download"),
]
