"""Endpoints named like the user's app; each holds a PgBouncer server connection for a
configurable pg_sleep (settings.CAP_SLEEP) so a small transaction pool saturates."""
import random
import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect


def _sleep(key, project_id=0):
    secs = settings.CAP_SLEEP[key]
    with connection.cursor() as cur:
        cur.execute("SELECT pg_sleep(%s), %s::int", [secs, project_id])
        cur.fetchone()


def home(request):
    return redirect("/dashboard/")


@login_required
def dashboard(request):
    _sleep("dashboard")
    return HttpResponse("<html><body><h1>Dashboard</h1><p>%s</p></body></html>" % request.user.get_username())


@login_required
def rekap_kebutuhan(request, project_id):
    _sleep("rekap", project_id)
    rows = [{"kode": "M.%03d" % i, "volume": round(random.uniform(1, 50), 2)} for i in range(20)]
    return JsonResponse({"project": project_id, "items": rows})


@login_required
def rekap_validate(request, project_id):
    _sleep("validate", project_id)
    return JsonResponse({"project": project_id, "valid": True, "warnings": []})


@login_required
def pricing(request, project_id):
    _sleep("pricing", project_id)
    return JsonResponse({"project": project_id, "total": round(random.uniform(1e6, 9e6), 2)})


@login_required
def tahapan_unassigned(request, project_id):
    _sleep("rekap", project_id)
    return JsonResponse({"project": project_id, "unassigned": []})


@login_required
def export_rekap_rab(request, project_id, fmt):
    _sleep("export_db", project_id)
    lo, hi = settings.CAP_EXPORT_RENDER
    time.sleep(random.uniform(lo, hi))  # "rendering": no DB connection held (autocommit)
    body = b"%PDF-1.4\n% capture stack dummy export\n" if fmt == "pdf" else b"PK\x03\x04dummy-xlsx"
    ctype = "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return HttpResponse(body, content_type=ctype)
