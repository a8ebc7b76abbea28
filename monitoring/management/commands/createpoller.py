from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assets.models import Agency, Site
from monitoring.models import Poller
from monitoring.remote.services import poller_create, poller_revoke, poller_rotate


class Command(BaseCommand):
    help = (
        "Make a remote poller for an agency (or some of its sites) and print its token, once; "
        "or rotate or revoke an existing poller's token."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the poller's name, unique within its agency")
        parser.add_argument("--agency", required=True, metavar="CODE", help="its agency's region code, e.g. 64.03")
        parser.add_argument("--site", action="append", dest="sites", type=int, metavar="ID", help="only this site")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--rotate", action="store_true", help="a new token for an existing poller")
        action.add_argument("--revoke", action="store_true", help="revoke an existing poller's token")

    def handle(self, *args, name, agency, sites, rotate, revoke, **options):
        agency_row = Agency.objects.filter(code=agency).first()
        if agency_row is None:
            raise CommandError(f"No agency with code {agency}.")
        if rotate or revoke:
            poller = Poller.objects.filter(agency=agency_row, name=name).first()
            if poller is None:
                raise CommandError(f"No poller named {name!r} at agency {agency}.")
            if revoke:
                poller_revoke(poller=poller)
                self.stdout.write(self.style.SUCCESS(f"Poller {name!r} revoked; its assets go back to the centre."))
                return
            token = poller_rotate(poller=poller)
        else:
            site_rows = list(Site.objects.filter(agency=agency_row, pk__in=sites or ()))
            if sites and len(site_rows) != len(set(sites)):
                raise CommandError(f"Sites {sorted(set(sites) - {s.pk for s in site_rows})} are not {agency}'s.")
            try:
                poller, token = poller_create(name=name, agency=agency_row, sites=site_rows)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Poller {poller.name!r} (id {poller.pk}). Its token, shown only now:")
        self.stdout.write(token)
