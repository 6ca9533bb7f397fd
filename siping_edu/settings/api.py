"""The REST API (Django REST framework, drf-spectacular): /api/, its schema and its docs."""

from . import env

REST_FRAMEWORK = {
    # Integration accounts send "Authorization: Bearer <key>"; people signed in to the portal
    # may call the API from the docs page with their session (and its CSRF token).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "departments.api.IntegrationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "departments.api.TokenScopePermission",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "siping_edu.api.ApiPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["siping_edu.api.AccountRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "siping_edu.api.exception_handler",
}
# Requests per account (a token's account, or a signed-in person) and period: "600/minute".
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="600/minute")
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=500)

SPECTACULAR_SETTINGS = {
    "TITLE": "Work plan portal API",
    "DESCRIPTION": "Plans, sections, tasks with their status, milestones, monthly reports, instructions (批示) "
                   "and the dashboard's figures. Authenticate with `Authorization: Bearer <key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/",
    # The docs page's scripts and styles come from drf-spectacular-sidecar, served by us: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TaskStateEnum": "tasks.models.Task.State",
        "ReportStateEnum": "tasks.models.ProgressReport.State",
    },
}
