"""The analysts' named SPARQL queries, one ``.rq`` file each (package data of ``ckg.queries``)."""
