"""The sync client: this PC's side of the exchange with the province server.

``rows``         the synced tables by entity, a row as the wire carries it
``account``      the enrolment and the sync state kept in ``meta``
``push``         the outbox as one sync request
``pull``         writing the server's answer (one transaction per page, with its cursor)
``quarantine``   pulled rows that break the record rules, set aside and reported
``transport``    HTTP (``Transport``, ``SyncFailure``)
``report``       what one sync did (``SyncReport``), its progress and whether to stop
``files``        the document files, both ways, with a byte budget
``convergence``  the end-of-sync comparison with the server and its repair
``client``       the cycle: ``enroll``, ``run_sync``
``bundles``      the same exchange through files, for a PC without a network
"""
