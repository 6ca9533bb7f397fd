from django.contrib import admin

from .models import QuarterlySummary, ReminderLog


@admin.register(QuarterlySummary)
class QuarterlySummaryAdmin(admin.ModelAdmin):
    list_display = ["plan", "quarter", "state", "attempts", "queued_at", "finished_at"]
    list_filter = ["state", "quarter", "plan"]
    search_fields = ["plan__title", "error"]
    readonly_fields = ["figures", "error", "attempts", "queued_at", "started_at", "finished_at"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "key", "recipient", "created_at"]
    list_filter = ["kind", "day"]
    search_fields = ["recipient__username", "key"]
    date_hierarchy = "day"
