from django.urls import path

from . import views

app_name = "linkage"
urlpatterns = [
    path("review/", views.review_queue, name="review"),
    path("review/<int:link_id>/", views.review_pair, name="review-pair"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/<int:decision_id>/revert/", views.decision_revert, name="decision-revert"),
]
