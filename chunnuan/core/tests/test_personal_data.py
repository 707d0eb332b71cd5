from __future__ import annotations

from django.db import connection

from chunnuan.core import crypto


def test_masks():
    assert crypto.mask_id_number("220702199003151238") == "2207**********1238"
    assert crypto.mask_phone("13812345678") == "138****5678"


def test_encrypt_round_trip_uses_fresh_nonces():
    a, b = crypto.encrypt("220702199003151238"), crypto.encrypt("220702199003151238")
    assert a != b and crypto.decrypt(a) == crypto.decrypt(b) == "220702199003151238"


def test_database_holds_no_plaintext_id_or_phone(personas):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, id_number_hash FROM workers_worker")
        rows = cursor.fetchall()
    dump = repr(rows)
    assert "220702199003151238" not in dump and "13800138000" not in dump
    assert rows[0][2] == crypto.lookup_hash("220702199003151238")
    assert personas.worker_record.id_number == "220702199003151238"  # decrypted on read


def test_lookup_by_keyed_hash(personas):
    from chunnuan.workers.selectors import worker_list

    actor = personas.actor("township_a")
    assert list(worker_list(actor=actor, filters={"q": "220702199003151238"})) == [personas.worker_record]
    assert list(worker_list(actor=actor, filters={"q": "220702 19900315 1238"})) == [personas.worker_record]
    assert list(worker_list(actor=personas.actor("township_b"), filters={"q": "220702199003151238"})) == []
