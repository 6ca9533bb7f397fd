"""The REST API's plumbing shared by every app's endpoints: pagination, the per-account rate
limit, and errors in the user's language with no server details."""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"

    def get_page_size(self, request):
        self.page_size = settings.API_PAGE_SIZE
        self.max_page_size = settings.API_MAX_PAGE_SIZE
        return super().get_page_size(request)


class AccountRateThrottle(UserRateThrottle):
    """Per account (a token's account counts as its user), at API_THROTTLE_RATE, read when asked
    so that a deployment (or a test) can change it."""

    def get_rate(self):
        return settings.API_THROTTLE_RATE


def exception_handler(error, context):
    """DRF's handler (403, 404, 400 with field errors, 429); Django's ValidationError from a
    service becomes a 400 with its messages, never a 500; a 404 says only that nothing was found."""
    from django.core.exceptions import ValidationError
    from django.http import Http404
    from rest_framework.exceptions import NotFound
    from rest_framework.exceptions import ValidationError as ApiValidationError

    if isinstance(error, Http404):
        error = NotFound()  # "未找到。" in the caller's language, not the queryset's English message
    elif isinstance(error, ValidationError):
        error = ApiValidationError(error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages})
    return drf_exception_handler(error, context)
