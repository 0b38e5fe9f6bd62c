from django.http import HttpResponse
from django.shortcuts import render


def home(request):
    return render(request, "home.html")


def anonymous_session(request):
    """Stores something for an anonymous visitor, so Django writes a session row that is not a login."""
    request.session["visits"] = request.session.get("visits", 0) + 1
    return HttpResponse("visits=%d" % request.session["visits"], content_type="text/plain")

