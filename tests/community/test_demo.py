from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from guilde.accounts.enums import Role
from guilde.accounts.models import User
from guilde.community import demo
from guilde.community.models import Community, Member, Pillar, Tag


def _counts():
    return (
        User.objects.count(),
        Member.objects.count(),
        Tag.objects.count(),
        Pillar.objects.count(),
        Community.objects.count(),
        EmailAddress.objects.filter(verified=True, primary=True).count(),
    )


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_the_logins():
    out = StringIO()

    call_command("seed_demo", stdout=out)
    first = _counts()
    charter_changed = Community.objects.get().charter_updated_at
    call_command("seed_demo", stdout=StringIO())

    assert _counts() == first
    assert Community.objects.get().charter_updated_at == charter_changed
    assert first[:2] == (40, 40)
    assert "ops@guilde.test" in out.getvalue()
    assert "guilde-demo" in out.getvalue()


@pytest.mark.django_db
def test_seed_demo_creates_the_fixed_logins_with_their_roles():
    call_command("seed_demo", stdout=StringIO())

    roles = dict(User.objects.filter(email__endswith="@guilde.test").values_list("email", "role"))
    ops = User.objects.get(email="ops@guilde.test")
    assert roles["ops@guilde.test"] == Role.PRODUCT_OPS
    assert roles["exec@guilde.test"] == Role.EXECUTIVE
    assert roles["sales@guilde.test"] == Role.STAKEHOLDER
    assert User.objects.get(email="pm@guilde.test").member.is_volunteer
    assert ops.is_staff
    assert ops.check_password("guilde-demo")
    assert sorted(set(Member.objects.values_list("region", flat=True))) == ["austin", "lyon", "new_york", "paris"]
    assert Community.objects.get().name == "Guilde Produit"


def test_demo_steps_run_in_order_with_community_first(monkeypatch):
    monkeypatch.setattr(demo, "_steps", dict(demo._steps))

    demo.register_demo_step("later", lambda: None, order=50)
    demo.register_demo_step("earlier", lambda: None, order=-1)

    names = [step.name for step in demo.demo_steps() if step.name in {"earlier", "community", "later"}]
    assert names == ["earlier", "community", "later"]
