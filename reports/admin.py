from django.contrib import admin

from tasks.admin import ReadOnlyAdmin

from .models import QuarterlySummary, ReminderLog, ScoreBulletin

# Summaries, bulletins and the reminder log are written by their jobs only.


@admin.register(QuarterlySummary)
class QuarterlySummaryAdmin(ReadOnlyAdmin):
    list_display = ["plan", "quarter", "state", "attempts", "queued_at", "finished_at"]
    list_filter = ["state", "quarter", "plan"]
    search_fields = ["plan__title", "error"]


@admin.register(ScoreBulletin)
class ScoreBulletinAdmin(ReadOnlyAdmin):
    list_display = ["plan", "month", "state", "attempts", "queued_at", "finished_at"]
    list_filter = ["state", "plan"]
    search_fields = ["plan__title", "error"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["day", "kind", "key", "recipient", "created_at"]
    list_filter = ["kind", "day"]
    search_fields = ["recipient__username", "key"]
    date_hierarchy = "day"
