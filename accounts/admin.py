from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from accounts.models import User
from simpul.admin import ScopedAdmin


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    list_display = ["username", "email", "agency", "role", "language", "is_active", "is_superuser"]
    list_filter = ["role", "agency", "language", "is_active", "is_superuser"]
    search_fields = ["username", "email", "first_name", "last_name", "agency__code"]
    list_select_related = ["agency"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Instansi dan peran"), {"fields": ["agency", "role", "language"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Instansi dan peran"), {"fields": ["agency", "role"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Staff who are not superusers cannot hand out what they do not hold themselves.
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return [*fields, "is_superuser", "is_staff", "groups", "user_permissions"]


# Access follows agency and role (accounts.scoping), not Django groups: hide them to avoid a second model.
admin.site.unregister(Group)
# DRF's token admin lists every API key in clear, and names each token by its key (in delete pages and in
# the admin log). A token is revoked by deactivating its user, or replaced with `manage.py drf_create_token -r`.
admin.site.unregister(TokenProxy)
