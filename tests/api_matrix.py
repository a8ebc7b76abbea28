"""The scoping matrix: who may do what to which agency's object, written out as a table.

The table is the specification; `tests/*/test_api_scoping.py` runs it against every endpoint that
holds agency data. Keys: (role, user's agency, object's agency) -> status for GET, PATCH, DELETE.
The tree is the `tree` fixture: province 64 with 64.01 and 64.72, foreign province 63 with 63.01.
"""

from accounts.choices import Role

T, M, P, A = Role.TECHNICIAN, Role.MANAGER, Role.PROCUREMENT, Role.ADMINISTRATOR

# (role, user agency, object agency): (GET, PATCH, DELETE)
OBJECT_MATRIX = {
    # province users see their regencies; technicians write only their own agency's data
    (T, "64", "64"): (200, 200, 204),
    (T, "64", "64.01"): (200, 403, 403),
    (T, "64", "63.01"): (404, 404, 404),
    (M, "64", "64"): (200, 403, 403),
    (M, "64", "64.01"): (200, 403, 403),
    (M, "64", "63.01"): (404, 403, 403),
    (P, "64", "64"): (200, 403, 403),
    (P, "64", "64.01"): (200, 403, 403),
    (P, "64", "63.01"): (404, 403, 403),
    (A, "64", "64"): (200, 200, 204),
    (A, "64", "64.01"): (200, 200, 204),
    (A, "64", "63.01"): (404, 404, 404),
    # a regency sees only itself: not its province, not its neighbour
    (T, "64.01", "64.01"): (200, 200, 204),
    (T, "64.01", "64"): (404, 404, 404),
    (T, "64.01", "64.72"): (404, 404, 404),
    (M, "64.01", "64.01"): (200, 403, 403),
    (M, "64.01", "64.72"): (404, 403, 403),
    (P, "64.01", "64"): (404, 403, 403),
    (A, "64.01", "64.01"): (200, 200, 204),
    (A, "64.01", "64"): (404, 404, 404),
    (A, "64.01", "64.72"): (404, 404, 404),
}

# (role, user agency, agency named in the new object): POST status
CREATE_MATRIX = {
    (T, "64", "64"): 201,
    (T, "64", "64.01"): 400,  # visible, but not the technician's own agency
    (T, "64", "63.01"): 400,  # invisible: "does not exist"
    (M, "64", "64"): 403,
    (P, "64", "64"): 403,
    (A, "64", "64"): 201,
    (A, "64", "64.01"): 201,
    (A, "64", "63.01"): 400,
    (T, "64.01", "64.01"): 201,
    (T, "64.01", "64"): 400,
    (A, "64.01", "64.72"): 400,
}

# which agencies a list shows to a user of each agency
VISIBLE = {
    "64": {"64", "64.01", "64.72"},
    "64.01": {"64.01"},
    "63": {"63", "63.01"},
}
