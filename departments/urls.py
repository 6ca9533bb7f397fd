from django.urls import path

from . import views

app_name = "departments"

urlpatterns = [
    path("units/aliases/", views.DepartmentAliasesView.as_view(), name="aliases"),
]
