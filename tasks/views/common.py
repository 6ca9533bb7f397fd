"""What every view of the work plan shares: the task looked up in the viewer's scope, refusals, form errors."""


from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property

from tasks import selectors, services


def require(allowed):
    if not allowed:
        raise PermissionDenied


def add_errors(form, error):
    """Put a service's ValidationError on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class TaskViewMixin(LoginRequiredMixin):
    """Views about one task: it is looked up through the viewer's scope (404 if out of it)."""

    @cached_property
    def task(self):
        return selectors.task_for_viewer(
            self.request.user, year=self.kwargs["year"], number=self.kwargs["number"]
        )

    def task_url(self, anchor=""):
        return services.task_url(self.task, anchor=anchor)
