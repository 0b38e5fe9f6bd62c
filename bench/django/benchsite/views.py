from django.shortcuts import render


def page(request):
    """The service's page, rendered by Django: "Logged In!" with the username, or "Not Logged In"."""
    user = request.user
    title = "Logged In!" if user.is_authenticated else "Not Logged In"
    return render(request, "page.html", {"title": title, "logged_in": user.is_authenticated, "user": user})
