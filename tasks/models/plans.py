"""The plan (工作要点) and its numbered sections."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tasks.formats import to_chinese, validate_plan_year


class PlanManager(models.Manager):
    def get_by_natural_key(self, year):
        return self.get(year=year)


class Plan(models.Model):
    """A year's work plan (工作要点) as published by the bureau."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[validate_plan_year]
    )
    title = models.CharField(_("title"), max_length=200)
    issuing_body = models.CharField(_("issuing body"), max_length=100, blank=True)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True, help_text=_("文号, e.g. 国发〔2019〕4号"))
    preamble = models.TextField(_("preamble"), blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # 交办: when the supervision office published the plan to its units (a draft grants nothing).
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # 政务公开: the plan's public progress page (/public/<year>/) shows it; off until the
    # supervision office turns it on.
    public_progress = models.BooleanField(_("progress published to the public"), default=False)

    history = HistoricalRecords()
    objects = PlanManager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.year,)


class SectionManager(models.Manager):
    def get_by_natural_key(self, year, number):
        return self.get(plan__year=year, number=number)


class Section(models.Model):
    """A numbered part of a plan (一、二、…)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sections"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    # What the section says besides its tasks: requirements, principles, group headings.
    text = models.TextField(_("text"), blank=True)

    objects = SectionManager()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="unique_section_number_per_plan"
            )
        ]

    def __str__(self):
        return f"{self.label}{self.title}"

    def natural_key(self):
        return (self.plan.year, self.number)

    natural_key.dependencies = ["tasks.plan"]

    @property
    def label(self):
        return f"{to_chinese(self.number)}、"
