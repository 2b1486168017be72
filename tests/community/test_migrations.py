import importlib

import pytest
from django.apps import apps

from guilde.community.models import Member
from tests.factories.community import MemberFactory

fold_accents = importlib.import_module("guilde.community.migrations.0002_fold_accents_in_member_search_names")


@pytest.mark.django_db
def test_fold_accents_migration_recomputes_old_search_names():
    accented = MemberFactory(user__full_name="Léa  Martin")
    plain = MemberFactory(user__full_name="Thomas Bernard")
    Member.objects.filter(pk=accented.pk).update(search_name="léa  martin")

    fold_accents.fold_search_names(apps, None)

    assert dict(Member.objects.values_list("pk", "search_name")) == {
        accented.pk: "lea martin",
        plain.pk: "thomas bernard",
    }
