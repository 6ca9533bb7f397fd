"""The departments app's pages, by subject."""

from .account import MySettingsView, OTPSetupView, OTPVerifyView, PasswordChangeView
from .audit import AuditLogView
from .people import LockedAccountsView, PeopleListView, PersonCreateView, PersonEditView
from .units import DepartmentAliasesView, UnitEditView, UnitListView

__all__ = [
    "AuditLogView", "DepartmentAliasesView", "LockedAccountsView", "MySettingsView", "OTPSetupView", "OTPVerifyView",
    "PasswordChangeView", "PeopleListView", "PersonCreateView", "PersonEditView", "UnitEditView", "UnitListView",
]
