from django.urls import path

from . import views

app_name = "shelters"
urlpatterns = [
    path("", views.board, name="board"),
    path("<int:shelter_id>/", views.shelter_detail, name="shelter"),
    path("match/<int:person_id>/", views.match, name="match"),
    path("placements/<int:placement_id>/end/", views.placement_end, name="placement-end"),
]
