"""A page of a search and its total from one query."""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, Window


class CountedWithThePage(Paginator):
    """Reads a page's rows and the number of matches together (COUNT(*) OVER ()).

    A search's conditions (text in the subject, the customer, the messages) are checked on every
    candidate ticket; counting apart made PostgreSQL check them all twice, 5 ms of the queue
    page's search at 100,000 tickets. Not for the unfiltered list, where the index gives the
    first rows without reading the rest and the count reads an index alone.
    """

    def get_page(self, number):
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        counted = self.object_list.annotate(total_matches=Window(Count("pk")))
        rows = list(counted[bottom : bottom + self.per_page])
        if not rows and number > 1:  # past the last page: the plain way, which counts first
            return super().get_page(number)
        # Paginator.count is a cached property: set it from the rows (none found: nothing).
        self.__dict__["count"] = rows[0].total_matches if rows else 0
        return self._get_page(rows, number, self)


# A search counts its matches up to this many; past it, the page says "more than 100".
SEARCH_COUNT_CAP = 100


class CappedSearch(Paginator):
    """A search's pages, its matches counted up to a cap (SEARCH_COUNT_CAP).

    Counting every match of a common word walks every candidate: "kovacs" (one customer in nine)
    among the 16,000 open requests of 100,000 tickets took most of the search's time, with the
    count read beside the page (COUNT(*) OVER ()), as the page's 25 rows could not be given before
    the last match was found. So one query reads the matches' ids first, at most `cap` + 1:

    - `early`: the search checked ticket by ticket (the customer by primary key) among the first
      candidates in queue order. When it finds more than `cap` there, they are the first
      matches in queue order, and the page's rows are read by their ids: a common word costs a
      walk of a few hundred candidates, not the collecting of every customer bearing the name.
    - Otherwise `matches`, the search in no order, where PostgreSQL collects the matching
      customers and reads the candidates through the `(queue, status)` index: run only then
      (a one-time condition on the first part's count), in the same query.

    With at most `cap` matches, that is the count, and the page's rows are read by their ids and
    put in queue order, without checking the search again (`rows`: the list without the text).
    With more, the count is "more than `cap`"; a page beyond the ids read is walked in queue
    order (`dense_rows`: the search checked ticket by ticket), which finds its rows early as
    matches are many. The number of pages is then not known: a page reads one row more to know
    whether there is a next.
    """

    def __init__(self, matches, per_page, *, early, rows, dense_rows, cap: int = 0):
        super().__init__(matches, per_page)
        self.early, self.rows, self.dense_rows = early, rows, dense_rows
        self.cap = cap or SEARCH_COUNT_CAP
        self.is_capped = False

    def _check_object_list_is_ordered(self):
        """The matches are read in no order on purpose; the rows are read in queue order."""

    def matching_ids(self) -> tuple[list[int], bool]:
        """Up to `cap` + 1 ids of matches, and whether they are the first ones in queue order."""
        limit = self.cap + 1
        early_sql, early_params = self.early.values_list("pk")[:limit].query.sql_with_params()
        found_sql, found_params = (
            self.object_list.order_by().values_list("pk")[:limit].query.sql_with_params()
        )
        # Django's own SQL of the two querysets, their values bound as parameters.
        sql = (
            f"WITH early AS MATERIALIZED ({early_sql}) "  # noqa: S608
            "SELECT early.*, 1 FROM early UNION ALL "
            f"SELECT found.*, 0 FROM ({found_sql}) AS found WHERE (SELECT COUNT(*) FROM early) < %s"
        )
        with connections[self.object_list.db].cursor() as cursor:
            cursor.execute(sql, [*early_params, *found_params, limit])
            rows = cursor.fetchall()
        early = [pk for pk, is_early in rows if is_early]
        if len(early) == limit:
            return early, True
        return [pk for pk, is_early in rows if not is_early], False

    def get_page(self, number):
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        ids, in_order = self.matching_ids()
        if len(ids) <= self.cap:
            # Paginator.count is a cached property: set from the ids (none found: nothing).
            self.__dict__["count"] = len(ids)
            number = self.validate_number(min(number, self.num_pages))
            bottom = (number - 1) * self.per_page
            return self._get_page(
                list(self.rows.filter(pk__in=ids)[bottom : bottom + self.per_page]), number, self
            )
        self.is_capped = True
        self.__dict__["count"] = self.cap + 1
        bottom = (number - 1) * self.per_page
        if in_order and bottom + self.per_page < len(ids):  # the page and a next among the ids read
            rows = list(self.rows.filter(pk__in=ids[bottom : bottom + self.per_page]))
            rows.append(None)  # stands for the next page's first row
        else:
            rows = list(self.dense_rows[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:  # past the last page: the first one
            return self.get_page(1)
        # The pages known: up to this one, and the next when a row was left over.
        self.__dict__["num_pages"] = number + (len(rows) > self.per_page)
        return self._get_page(rows[: self.per_page], number, self)
