from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login-code"),
    path("backup-codes/", views.backup_codes, name="backup-codes"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
