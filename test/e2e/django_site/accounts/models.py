"""A custom AUTH_USER_MODEL, the common kind: AbstractUser's columns with a bigint key (table accounts_user).

Enabled by DJANGO_AUTH_USER_MODEL=accounts.User (refsite/settings.py): the tests run the service on its table
with DJANGO_USER_TABLE=accounts_user.
"""
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    id = models.BigAutoField(primary_key=True)
