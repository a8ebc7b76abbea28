from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "agency", "role", "is_active", "is_superuser"]
    list_filter = ["role", "agency", "is_active", "is_superuser"]
    search_fields = ["username", "email", "first_name", "last_name", "agency__code"]
    list_select_related = ["agency"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Instansi dan peran"), {"fields": ["agency", "role"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Instansi dan peran"), {"fields": ["agency", "role"]}),
    ]


# Access follows agency and role (accounts.scoping), not Django groups: hide them to avoid a second model.
admin.site.unregister(Group)
