import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .evidence import check_uploads
from .models import ProgressReport, TaskRequest


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several files in one input; each is checked by content (tasks.evidence)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [f for f in files if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return check_uploads(files)


class MonthField(forms.DateField):
    """A month as the browser's <input type="month"> sends it: YYYY-MM."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        date = super().to_python(value)
        return date.replace(day=1) if date else date


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReportForm(forms.Form):
    month = MonthField(label=_("Month"))
    progress = forms.CharField(
        label=_("Progress made"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was done this month: meetings held, documents issued, results."),
    )
    problems = forms.CharField(label=_("Problems"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(
        label=_("Percent complete"), min_value=0, max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )
    percent_drop_reason = forms.CharField(
        label=_("Reason for lower percent"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
    )
    files = EvidenceFilesField(label=_("Evidence files"))
    # Files already attached to take off (ticked); with new files this replaces them.
    remove_evidence = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan_year, attached=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_year = plan_year
        self.fields["month"].widget.attrs.update(min=f"{plan_year}-01", max=f"{plan_year}-12")
        self.fields["remove_evidence"].choices = [(evidence.pk, evidence.original_name) for evidence in attached]

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month.year != self.plan_year:
            raise ValidationError(_("Choose a month of %(year)d.") % {"year": self.plan_year})
        return month


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    quality = forms.ChoiceField(label=_("Quality grade"), required=False,
                                choices=[("", _("Not graded")), *ProgressReport.Quality.choices])
    note = forms.CharField(label=_("Review note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say what needs to change when returning a report."))
        return cleaned


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_date = forms.DateField(label=_("Due"), widget=DateInput())
    evidence_required = forms.BooleanField(label=_("Evidence required"), required=False)


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())
    files = EvidenceFilesField(label=_("Evidence files"))


class ResponsiblePersonForm(forms.Form):
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class TaskRequestForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))
    new_deadline = forms.DateField(label=_("New deadline"), required=False, widget=DateInput())
    files = EvidenceFilesField(label=_("Evidence files"))

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == TaskRequest.Kind.EXTENSION:
            self.fields["new_deadline"].required = True
        else:
            del self.fields["new_deadline"]
            self.fields["files"].label = _("Closing evidence")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Decision note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def month_choices_default(plan_year, today):
    """This month while the plan's year runs; its last month once it is over; January before it."""
    if today.year == plan_year:
        return today.replace(day=1)
    return datetime.date(plan_year, 12 if today.year > plan_year else 1, 1)


class InstructionForm(forms.Form):
    text = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 3}))
    reply_by = forms.DateField(label=_("Reply by"), required=False, widget=DateInput())


class InstructionReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 2}))


# The plan workspace (督查室): set-up grid, bulk actions, new plans, carry-over


def _unit_choices():
    from departments.models import Department

    return Department.objects.filter(is_active=True).order_by("kind", "order", "name")


def _leader_choices():
    from departments.roles import Capability, users_holding

    return users_holding(Capability.WRITE_INSTRUCTIONS).order_by("username")


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class UnitsField(forms.ModelMultipleChoiceField):
    widget = forms.SelectMultiple(attrs={"size": 4})


class TaskAssignmentForm(forms.Form):
    """One task's units, leader, person and deadline; after publication with a reason (调整)."""

    lead = forms.ModelChoiceField(label=_("Lead unit"), queryset=None, required=False)
    co_leads = UnitsField(label=_("Joint lead units"), queryset=None, required=False)
    cooperating = UnitsField(label=_("Cooperating units"), queryset=None, required=False)
    responsible_leader = LeaderChoiceField(label=_("Responsible leader"), queryset=None, required=False)
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=100, required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    deadline_text = forms.CharField(label=_("Deadline as written"), max_length=50, required=False,
                                    help_text=_("For example 持续推进 or 6月底前"))
    reason = forms.CharField(label=_("Reason for the adjustment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, adjusting=False, **kwargs):
        super().__init__(*args, **kwargs)
        units = _unit_choices()
        for name in ("lead", "co_leads", "cooperating"):
            self.fields[name].queryset = units
        self.fields["responsible_leader"].queryset = _leader_choices()
        if adjusting:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _(
                "Give the reason for this adjustment: the units concerned are told.")
        else:
            del self.fields["reason"]

    @classmethod
    def initial_for(cls, task):
        return {
            "lead": task.lead_department_id,
            "co_leads": [d.pk for d in task.co_lead_departments.all() if d.pk != task.lead_department_id],
            "cooperating": [d.pk for d in task.cooperating_departments.all()],
            "responsible_leader": task.responsible_leader_id,
            "responsible_person": task.responsible_person,
            "deadline": task.deadline,
            "deadline_text": task.deadline_text,
            "version": task.version,
        }

    def changes(self):
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        data.pop("version", None)
        data["co_leads"] = list(data["co_leads"])
        data["cooperating"] = list(data["cooperating"])
        return data


class BulkAssignmentForm(forms.Form):
    """One change for the selected rows of the set-up grid."""

    ACTIONS = (("lead", _("Set the lead unit")), ("responsible_leader", _("Set the responsible leader")),
               ("deadline", _("Set the deadline")))

    action = forms.ChoiceField(label=_("Bulk action"), choices=ACTIONS)
    tasks = forms.TypedMultipleChoiceField(coerce=int, choices=())
    lead = forms.ModelChoiceField(label=_("Lead unit"), queryset=None, required=False)
    responsible_leader = LeaderChoiceField(label=_("Responsible leader"), queryset=None, required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    deadline_text = forms.CharField(label=_("Deadline as written"), max_length=50, required=False)
    reason = forms.CharField(label=_("Reason for the adjustment"), required=False, max_length=1000)

    def __init__(self, *args, task_numbers, adjusting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].choices = [(number, number) for number in task_numbers]
        self.fields["tasks"].error_messages["required"] = _("Select the tasks to change first.")
        self.fields["lead"].queryset = _unit_choices()
        self.fields["responsible_leader"].queryset = _leader_choices()
        self.adjusting = adjusting

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "lead" and not data.get("lead"):
            self.add_error("lead", _("Choose the lead unit."))
        if action == "responsible_leader" and not data.get("responsible_leader"):
            self.add_error("responsible_leader", _("Choose the responsible leader."))
        if action == "deadline" and not data.get("deadline") and not (data.get("deadline_text") or "").strip():
            self.add_error("deadline", _("Give a deadline: a date, or a text such as 持续推进."))
        if self.adjusting and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for this adjustment: the units concerned are told."))
        return data

    def changes(self):
        action = self.cleaned_data["action"]
        if action == "deadline":
            return {"deadline": self.cleaned_data["deadline"], "deadline_text": self.cleaned_data["deadline_text"]}
        return {action: self.cleaned_data[action]}


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))
    title = forms.CharField(label=_("Title"), max_length=200)
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=100, required=False)


class CarryOverForm(forms.Form):
    year = forms.IntegerField(label=_("Into the plan of year"))
    tasks = forms.TypedMultipleChoiceField(coerce=int, choices=())

    def __init__(self, *args, task_numbers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].choices = [(number, number) for number in task_numbers]
        self.fields["tasks"].error_messages["required"] = _("Choose at least one task to carry over.")


class SectionForm(forms.Form):
    number = forms.IntegerField(label=_("No."), min_value=1, max_value=99)
    title = forms.CharField(label=_("Section title"), max_length=200)


class NewTaskForm(forms.Form):
    section = forms.ModelChoiceField(label=_("Section"), queryset=None)
    title = forms.CharField(label=_("Task"), max_length=300)
    content = forms.CharField(label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = plan.sections.order_by("number")


class ReviewFilterForm(forms.Form):
    """The review queue's filters: unit, plan and section, month."""

    department = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    year = forms.TypedChoiceField(label=_("Plan"), coerce=int, required=False, empty_value=None)
    section = forms.IntegerField(label=_("Section"), required=False, min_value=1, max_value=99)
    month = MonthField(label=_("Month"), required=False)

    def __init__(self, *args, plans, **kwargs):
        from departments.models import Department

        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True).order_by("kind", "order", "name")
        self.fields["department"].empty_label = _("All units")
        self.fields["year"].choices = [("", _("All plans"))] + [(plan.year, plan.title) for plan in plans]

    def filters(self):
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"department": data["department"].pk if data["department"] else None, "plan_year": data["year"],
                "section": data["section"], "month": data["month"].replace(day=1) if data["month"] else None}


class SupervisionNoticeForm(forms.Form):
    requirements = forms.CharField(label=_("Requirements"), widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("What the unit must do, e.g. 倒排工期，月底前完成方案印发。"))
    reply_by = forms.DateField(label=_("Reply by"), required=False, widget=DateInput())


class PublicProgressForm(forms.Form):
    """One task's text for the public page (政务公开) and the month it reports on."""

    task = forms.IntegerField(widget=forms.HiddenInput)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=[(m, f"{m}月") for m in range(1, 13)])
    text = forms.CharField(label=_("Text to publish"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("No names of people, no internal problems: this text is public."))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean(self):
        data = super().clean()
        if data.get("month"):
            data["month_date"] = datetime.date(self.plan.year, data["month"], 1)
        return data
