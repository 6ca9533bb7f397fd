"""The portal's URLs plus the benchmark's baseline page; used only by `manage.py bench`."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from siping_edu.urls import urlpatterns as portal_urlpatterns


@login_required
def minimal_page(request):
    """The least a logged-in page of the portal does: middleware, session, and the layout
    (header, navigation, unread count) around an empty body."""
    return render(request, "base.html")


urlpatterns = [path("bench/minimal/", minimal_page), *portal_urlpatterns]
