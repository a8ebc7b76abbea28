"""The API's permission rule, built on accounts.scoping.

Reading needs a login; writing needs a writing role and, per object, write access to the object's
agency. A view whose objects have no agency (reference data such as partners) sets
`admin_writes = True`: only administrators write it.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.choices import Role
from accounts.scoping import may_write, may_write_agency


def _is_admin(user) -> bool:
    return user.is_superuser or user.role == Role.ADMINISTRATOR


class RolePermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if request.method in SAFE_METHODS:
            return True
        if getattr(view, "admin_writes", False):
            return _is_admin(user)
        return may_write(user)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if getattr(view, "admin_writes", False):
            return _is_admin(request.user)
        return may_write_agency(request.user, obj.agency_id)
