"""A page of a search and its total from one query."""

from django.core.paginator import Paginator
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
    the last match was found. So the matches are read first as their ids, at most `cap` + 1 and in
    no order (PostgreSQL reads the candidates through the `(queue, status)` index):

    - at most `cap`: that is the count, and the page's rows are read by those ids and put in
      queue order, without checking the search again (`rows`: the list without the text);
    - more: the count is "more than `cap`", and the page is walked in queue order (`dense_rows`:
      the search checked ticket by ticket), which finds its rows early as matches are many. The
      number of pages is then not known: a page reads one row more to know whether there is a
      next.
    """

    def __init__(self, matches, per_page, *, rows, dense_rows, cap: int = 0):
        super().__init__(matches, per_page)
        self.rows, self.dense_rows = rows, dense_rows
        self.cap = cap or SEARCH_COUNT_CAP
        self.is_capped = False

    def _check_object_list_is_ordered(self):
        """The matches are read in no order on purpose; the rows are read in queue order."""

    def get_page(self, number):
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        ids = list(self.object_list.order_by().values_list("pk", flat=True)[: self.cap + 1])
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
        rows = list(self.dense_rows[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:  # past the last page: the first one
            return self.get_page(1)
        # The pages known: up to this one, and the next when a row was left over.
        self.__dict__["num_pages"] = number + (len(rows) > self.per_page)
        return self._get_page(rows[: self.per_page], number, self)
