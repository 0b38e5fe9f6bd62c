from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render


def home(request):
    return render(request, "home.html")


def anonymous_session(request):
    """Stores something for an anonymous visitor, so Django writes a session row that is not a login."""
    request.session["visits"] = request.session.get("visits", 0) + 1
    return HttpResponse("visits=%d" % request.session["visits"], content_type="text/plain")



@login_required
def greeting_form(request):
    """A Django page whose form ({% csrf_token %}) posts to the Node service's POST route."""
    return render(request, "greeting_form.html")


@login_required
def members(request):
    """Django's own @login_required, to compare its log-in redirect with the Node guard's."""
    return HttpResponse("members only", content_type="text/plain")
