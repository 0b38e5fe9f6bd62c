"""Settings come from the environment so the test harness can point the site at its own database."""
import os
from urllib.parse import unquote, urlparse

BASE_DIR = os.path.dirname(os.path.abspath(__file__))

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
SECRET_KEY_FALLBACKS = [k for k in os.environ.get("DJANGO_SECRET_KEY_FALLBACKS", "").split(",") if k]
DEBUG = False
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Only for its management command (create_e2e_users); it has no models.
    "refsite",
]

# A custom user model (accounts/models.py) instead of auth.User: DJANGO_AUTH_USER_MODEL=accounts.User.
AUTH_USER_MODEL = os.environ.get("DJANGO_AUTH_USER_MODEL", "auth.User")
if AUTH_USER_MODEL == "accounts.User":
    INSTALLED_APPS.append("accounts")

# Django's admin (DJANGO_ADMIN=on), for the suites whose staff user logs in from Node: off by default, so that
# `migrate` makes exactly the tables of the committed schema fixtures.
if os.environ.get("DJANGO_ADMIN", "").lower() in ("1", "true", "yes", "on"):
    INSTALLED_APPS.insert(0, "django.contrib.admin")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "refsite.urls"
WSGI_APPLICATION = "refsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(BASE_DIR, "templates")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database(url):
    """postgresql://, mysql:// or mariadb://, and file:/path or sqlite:/path, as the service reads DATABASE_URL."""
    parsed = urlparse(url)
    if parsed.scheme in ("file", "sqlite"):
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parsed.path)}
    mysql = parsed.scheme in ("mysql", "mariadb")
    return {
        "ENGINE": "django.db.backends.mysql" if mysql else "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
        **({"OPTIONS": {"charset": "utf8mb4"}} if mysql else {}),
    }


DATABASES = {"default": _database(os.environ["DATABASE_URL"])}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

SESSION_ENGINE = os.environ.get("DJANGO_SESSION_ENGINE", "django.contrib.sessions.backends.db")
# The cache and cached_db engines keep sessions in the default cache: django-redis on Django 3.2 (Debian's
# python3-django-redis), another backend by DJANGO_CACHE_BACKEND.
if os.environ.get("DJANGO_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": os.environ.get("DJANGO_CACHE_BACKEND", "django_redis.cache.RedisCache"),
            "LOCATION": os.environ["DJANGO_CACHE_URL"],
        }
    }
    # django-redis's serializer and compressor, by the names the service reads (DJANGO_CACHE_SERIALIZER=json, ...).
    _redis_options = {
        "SERIALIZER": {"json": "django_redis.serializers.json.JSONSerializer"}.get(os.environ.get("DJANGO_CACHE_SERIALIZER", "")),
        "COMPRESSOR": {"zlib": "django_redis.compressors.zlib.ZlibCompressor"}.get(os.environ.get("DJANGO_CACHE_COMPRESSOR", "")),
    }
    if any(_redis_options.values()):
        CACHES["default"]["OPTIONS"] = {name: path for name, path in _redis_options.items() if path}
# PickleSerializer exists before Django 5.0 only: DJANGO_SESSION_SERIALIZER=pickle, as the service reads it.
if os.environ.get("DJANGO_SESSION_SERIALIZER") == "pickle":
    SESSION_SERIALIZER = "django.contrib.sessions.serializers.PickleSerializer"
SESSION_COOKIE_NAME = os.environ.get("SESSION_COOKIE_NAME", "sessionid")
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

USE_TZ = os.environ.get("DJANGO_USE_TZ", "true").lower() in ("1", "true", "yes", "on")
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = False
