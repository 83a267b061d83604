from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("persons/<int:person_id>/", views.person_detail, name="person"),
    path("persons/<int:person_id>/consent/", views.consent_create, name="consent-create"),
    path("persons/<int:person_id>/share/", views.person_share, name="person-share"),
    path("persons/<int:person_id>/signals/new/", views.signal_new, name="signal-new-for-person"),
    path("signals/new/", views.signal_new, name="signal-new"),
]
