from django.urls import path

from . import views

app_name = "pathway"
urlpatterns = [
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/<int:referral_id>/answer/", views.referral_answer, name="referral-answer"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("persons/<int:person_id>/", views.person_pathway, name="person"),
    path("persons/<int:person_id>/referrals/", views.referral_new, name="referral-new"),
    path("persons/<int:person_id>/stages/", views.stage_change, name="stage-change"),
    path("persons/<int:person_id>/status/", views.status_change, name="status-change"),
]
