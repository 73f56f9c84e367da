import pytest

from trialmatch.geo import Site, coordinates, miles_between, nearest_site, normalise_zip, zip_table


def test_the_bundled_table_has_every_zip_of_the_source():
    assert len(zip_table()) == 33099


@pytest.mark.parametrize("raw, zip5", [("02115", "02115"), ("02115-1234", "02115"), ("2115", None),
                                       ("", None), (None, None), ("ABCDE", None), ("123456", None)])
def test_zip_codes_are_normalised_or_refused(raw, zip5):
    assert normalise_zip(raw) == zip5


def test_boston_to_new_york_is_about_190_miles():
    boston, new_york = coordinates("02115"), coordinates("10016")
    assert 180 < miles_between(boston, new_york) < 200


def test_nearest_recruiting_site_wins_and_closed_sites_do_not_count():
    sites = [Site("NYC", "10016", "Recruiting"), Site("Boston closed", "02114", "Completed"),
             Site("Providence", "02903", "RECRUITING"), Site("nowhere", None, "Recruiting")]
    site, miles = nearest_site("02115", sites)
    assert site.name == "Providence" and 35 < miles < 45


def test_unknown_locations_give_no_distance_rather_than_a_guess():
    assert nearest_site(None, [Site("NYC", "10016")]) == (None, None)
    assert nearest_site("02115", [Site("x", None), Site("y", "99999")]) == (None, None)


def test_a_site_outside_the_united_states_is_never_placed_by_its_postcode():
    # Australian postcode 2298 must not be read as US ZIP 02298
    site, miles = nearest_site("02115", [Site("Waratah", "2298", "RECRUITING", country="Australia"),
                                          Site("Paris", "75001", "RECRUITING", country="France")])
    assert (site, miles) == (None, None)
