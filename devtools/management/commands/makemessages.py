from django.core.management.commands import makemessages


class Command(makemessages.Command):
    # A guessed ("fuzzy") translation of a new string is usually wrong and is not shown anyway;
    # leave new strings empty so the catalogue test names them for a real translation.
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
