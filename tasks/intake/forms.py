"""Forms of the intake pages: an Excel task list, or a plan's published text."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tasks.formats import PLAN_YEARS

from .word import docx_text


class TaskSheetUploadForm(forms.Form):
    plan_year = forms.IntegerField(label=_("Plan year"), min_value=PLAN_YEARS[0], max_value=PLAN_YEARS[1])
    file = forms.FileField(label=_("Excel task list (.xlsx)"))
    create_departments = forms.BooleanField(label=_("Create departments that do not exist yet"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload


class PlanTextForm(forms.Form):
    year = forms.IntegerField(label=_("Plan year"), min_value=PLAN_YEARS[0], max_value=PLAN_YEARS[1])
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Left empty, the document's own title is used."))
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=100, required=False)
    text = forms.CharField(label=_("Text of the plan"), required=False, widget=forms.Textarea(attrs={"rows": 12}))
    file = forms.FileField(label=_("Or the published document as .docx or .txt"), required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > 5 * 1024 * 1024:
                raise ValidationError(_("The file is larger than 5 MB."))
            cleaned["text"] = plan_text_from_upload(upload)
        if not (cleaned.get("text") or "").strip():
            raise ValidationError(_("Paste the plan's text or choose a file."))
        return cleaned


def plan_text_from_upload(upload):
    """Plain text from a .txt (UTF-8 or GB18030) or .docx upload (paragraphs and tables in order)."""
    name = (upload.name or "").lower()
    data = upload.read()
    if name.endswith(".docx"):
        return docx_text(data)
    if name.endswith(".txt"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise ValidationError(_("The text file is neither UTF-8 nor GB18030."))
    raise ValidationError(_("Choose a .txt or .docx file."))


class PeopleSheetUploadForm(forms.Form):
    file = forms.FileField(label=_("Excel list of people (.xlsx)"),
                           help_text=_("Columns 姓名, 用户名, 单位, 角色, 手机, 邮箱; the header may be in any of the first 10 rows."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload
