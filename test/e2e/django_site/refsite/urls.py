from django.apps import apps
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("anonymous-session/", views.anonymous_session, name="anonymous-session"),
    path("greeting-form/", views.greeting_form, name="greeting-form"),
    path("members/", views.members, name="members"),
    # Stock log-in, log-out (POST only on Django 5), password change: no custom view.
    path("accounts/", include("django.contrib.auth.urls")),
]

if apps.is_installed("django.contrib.admin"):
    # Imported only when installed: its LogEntry model cannot load outside INSTALLED_APPS.
    from django.contrib import admin

    urlpatterns.append(path("admin/", admin.site.urls))
