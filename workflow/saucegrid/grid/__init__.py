"""Stage 3, the grid: which cells there are (``cells``), fitting one cell (``fit``), running a
slice of cells with the content-keyed cache (``run``, ``cache``), collating slices
(``collate``) and removing files of cells no longer in the grid (``cleanup``).

Imports the data and estimation stages."""
