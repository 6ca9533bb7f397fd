"""Every write of units, people and group robots; callers import from here, the modules split it
by subject."""

from .accounts import (  # noqa: F401
    account_unlock,
    accounts_disable_idle,
    locked_accounts,
    my_settings_save,
    password_changed,
    user_create,
    user_reset_password,
    user_reset_second_factor,
    user_save_fields,
    user_set_roles,
    user_set_units,
    user_update,
)
from .robots import (  # noqa: F401
    CHANNEL_MAX_ATTEMPTS,
    channel_deliveries_due,
    channel_delivery_attempt,
    channel_post,
    channel_set,
)
from .tokens import integration_token_check, integration_token_create, integration_token_revoke  # noqa: F401
from .units import (  # noqa: F401
    GROUP_PREFIX,
    department_absorb,
    department_create,
    department_deactivate,
    department_get_or_create,
    department_set_aliases,
    department_update,
    ensure_bureau_role_groups,
    membership_remove,
    membership_set,
    memberships_add_bulk,
    role_grant,
)
