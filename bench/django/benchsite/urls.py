from django.urls import path

from . import views

urlpatterns = [path("elixir/", views.page)]
