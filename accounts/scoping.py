"""Who sees and who writes which agency's data: the one place where tenancy is decided.

A user sees their own agency and every agency under it (national > province > regency/city).
Technicians write their own agency's data; administrators write everything they see; managers and
procurement staff only read. A superuser operates the whole deployment.
"""

from django.db.models import Q, QuerySet

from accounts.choices import Role

# national -> province -> regency/city: an agency has at most two levels below it.
_LEVELS_BELOW = 2
WRITER_ROLES = frozenset({Role.TECHNICIAN, Role.ADMINISTRATOR})


def visible_agencies(user) -> QuerySet:
    """The agencies whose data `user` may read, as a lazy queryset (it becomes a subquery, not a round trip)."""
    from assets.models import Agency

    if not user.is_authenticated:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    if user.agency_id is None:
        return Agency.objects.none()
    return agencies_under(user.agency_id)


def readers_key(user) -> str:
    """Names the agencies `user` sees without reading them: everyone with the same key sees the same agencies, as
    long as the agency tree stands (whoever caches by this key also keys by a stamp that changes with it)."""
    if not user.is_authenticated or (not user.is_superuser and user.agency_id is None):
        return "none"
    return "all" if user.is_superuser else f"under:{user.agency_id}"


def agencies_under(agency_id: int) -> QuerySet:
    """An agency and every agency under it: what its people see, and whose radios its nets may call."""
    from assets.models import Agency

    condition = Q(pk=agency_id)
    path = "parent"
    for _ in range(_LEVELS_BELOW):
        condition |= Q(**{f"{path}_id": agency_id})
        path += "__parent"
    return Agency.objects.filter(condition)


def writable_agencies(user) -> QuerySet:
    """The agencies whose data `user` may create, change or delete."""
    from assets.models import Agency

    if not user.is_authenticated:
        return Agency.objects.none()
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return visible_agencies(user)
    if user.role == Role.TECHNICIAN and user.agency_id is not None:
        return Agency.objects.filter(pk=user.agency_id)
    return Agency.objects.none()


def scope(queryset: QuerySet, user, agency_field: str = "agency") -> QuerySet:
    """Restrict `queryset` to rows of agencies `user` may read; `agency_field` is the path to the agency."""
    if user.is_authenticated and user.is_superuser:
        return queryset
    lookup = "pk__in" if agency_field == "" else f"{agency_field}__in"
    return queryset.filter(**{lookup: visible_agencies(user).values("pk")})


def may_write(user) -> bool:
    """Whether the role writes at all (the rest is decided per agency by `may_write_agency`)."""
    return user.is_authenticated and (user.is_superuser or user.role in WRITER_ROLES)


def may_write_agency(user, agency_id: int | None) -> bool:
    """Whether `user` may write data of the agency `agency_id`, for an object already known to be visible."""
    if not may_write(user):
        return False
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return True
    return agency_id is not None and agency_id == user.agency_id


def may_sign_stocktake(user, agency_id: int) -> bool:
    """The closed stocktake's record is signed off ("mengetahui") by a manager or administrator of its agency."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or (user.agency_id == agency_id and user.role in {Role.MANAGER, Role.ADMINISTRATOR})


def may_submit_report(user, agency_id: int) -> bool:
    """An agency reports for itself: its technicians, managers and administrators submit."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or (
        user.agency_id == agency_id and user.role in {Role.TECHNICIAN, Role.MANAGER, Role.ADMINISTRATOR}
    )


def may_acknowledge_report(user, agency) -> bool:
    """The agency above receives the report: its managers and administrators acknowledge it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        user.role in {Role.MANAGER, Role.ADMINISTRATOR}
        and agency.pk != user.agency_id
        and visible_agencies(user).filter(pk=agency.pk).exists()
    )
