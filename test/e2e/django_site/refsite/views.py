from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme


def home(request):
    return render(request, "home.html")


def anonymous_session(request):
    """Stores something for an anonymous visitor, so Django writes a session row that is not a login."""
    request.session["visits"] = request.session.get("visits", 0) + 1
    return HttpResponse("visits=%d" % request.session["visits"], content_type="text/plain")


def logout_view(request):
    # A plain link logs out on every Django version (5.x's LogoutView only accepts POST).
    logout(request)
    # ?next= brings the visitor back to the page that linked here (the Node page does), as LoginView does.
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("/")
