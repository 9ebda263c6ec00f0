"""The streaming reader of the France Compétences XML flux (pure: no database)."""

import datetime as dt
import io
import json
import tracemalloc
import zipfile

import pytest

from certifications.rncp.parser import (
    FluxReader,
    ParseLimits,
    RncpBloc,
    RncpFormatError,
    fiche_from_data,
    fiche_to_data,
    find_fiche,
    read_flux,
)
from tests.certifications import rncp_samples as samples
from tests.certifications.rncp_samples import Raw


def _read(xml: str, **kwargs):
    return list(read_flux(io.BytesIO(xml.encode()), **kwargs))


def _one(xml_fiche: str):
    (fiche,) = _read(samples.flux(xml_fiche))
    return fiche


def test_a_fiche_gives_its_identity_codes_dates_certifiers_and_blocs():
    fiche = _one(samples.rncp35203())

    assert (fiche.number, fiche.fiche_id, fiche.state, fiche.active) == (
        "RNCP35203",
        "35203",
        "Publiée",
        True,
    )
    assert fiche.title == "Coordinateur de projets alternatifs et solidaires"
    assert (fiche.level, fiche.level_label) == (6, "Niveau 6")
    assert fiche.end_of_registration == dt.date(2026, 1, 20)
    assert fiche.decision_date == dt.date(2021, 1, 20)
    assert fiche.nsf_codes == ("310p",)
    assert fiche.rome_codes == ("M1705", "K1802")
    assert fiche.formacodes == ("32135", "13175")
    assert [(c.siret, c.commercial_name) for c in fiche.certifiers] == [("33138377800031", "APTIM")]
    assert [b.code for b in fiche.blocs] == ["RNCP35203BC01", "RNCP35203BC02", "RNCP35203BC03"]
    assert fiche.blocs[0].competencies.startswith("<p>Délimiter le territoire")
    assert fiche.blocs[0].assessment.startswith("<p>Mémoire professionnel</p>")
    assert fiche.replaces == ("RNCP28157",)
    assert fiche.open_to_vae is True
    assert "Président du jury" in fiche.vae_jury_composition
    assert fiche.partial_validation is True
    assert fiche.warnings == []


@pytest.mark.parametrize("tag", ["LIBELLE", "INTITULE"])
def test_the_level_label_is_read_under_libelle_or_intitule(tag):
    fiche = _one(samples.fiche(level="NIV7", level_label="Niveau 7", level_label_tag=tag))
    assert (fiche.level, fiche.level_label) == (7, "Niveau 7")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20/01/2026", dt.date(2026, 1, 20)),
        ("2026-01-20", dt.date(2026, 1, 20)),
        ("5-1-2026", dt.date(2026, 1, 5)),
    ],
)
def test_dates_are_read_in_the_formats_producers_use(value, expected):
    assert _one(samples.fiche(end_of_registration=value)).end_of_registration == expected


@pytest.mark.parametrize(
    ("level", "label", "expected"),
    [
        ("NIV3", None, 3),
        ("NIV8", "Niveau 8", 8),
        (None, "Niveau 5", 5),
        ("AUCUN", "Sans niveau spécifique", None),
        ("AUCUN", None, None),
        (None, None, None),
    ],
)
def test_the_european_level_comes_from_niveau_or_else_from_its_label(level, label, expected):
    assert _one(samples.fiche(level=level, level_label=label)).level == expected


def test_a_level_outside_3_to_8_is_left_empty_with_a_warning():
    fiche = _one(samples.fiche(level="NIV2", level_label="Niveau 2"))
    assert fiche.level is None
    assert "hors de la nomenclature" in fiche.warnings[0]


def test_missing_optional_elements_give_empty_values():
    fiche = _one(
        samples.fiche(
            abbreviation=None,
            nsf=None,
            rome=None,
            formacodes=None,
            end_of_registration=None,
            decision_date=None,
            level=None,
            level_label=None,
            vae=None,
            partial_validation=None,
            prerequisites=None,
            active=None,
        )
    )
    assert (fiche.nsf_codes, fiche.rome_codes, fiche.formacodes) == ((), (), ())
    assert (fiche.end_of_registration, fiche.level, fiche.partial_validation, fiche.active) == (
        None,
        None,
        None,
        None,
    )
    assert (fiche.open_to_vae, fiche.vae_jury_composition, fiche.prerequisites) == (False, "", "")


def test_an_unreadable_date_is_left_empty_with_a_warning():
    fiche = _one(samples.fiche(end_of_registration="31/02/2028"))
    assert fiche.end_of_registration is None
    assert fiche.warnings == ["Date de fin d'enregistrement illisible ('31/02/2028') : laissée vide."]


def test_an_rs_fiche_without_blocs_reads_with_no_blocs():
    fiche = _one(samples.fiche("RS5000", "Habilitation électrique", blocs=[], level=None, level_label=None))
    assert (fiche.number, fiche.blocs, fiche.level) == ("RS5000", (), None)


def test_entities_cdata_and_html_left_as_xml_elements_are_all_read():
    fiche = _one(
        samples.fiche(
            title=Raw("Agent de m&eacute;diation &amp;amp; d&#233;veloppement"),
            blocs=[
                samples.bloc("RNCP90001BC01", "Bloc", Raw("<![CDATA[<p>Accueillir&nbsp;le public</p>]]>")),
                samples.bloc("RNCP90001BC02", "Bloc", Raw("<ul><li>Orienter</li><li>Informer</li></ul>")),
            ],
        )
    )
    assert fiche.title == "Agent de médiation &amp; développement"
    assert fiche.blocs[0].competencies == "<p>Accueillir&nbsp;le public</p>"
    assert fiche.blocs[1].competencies == "<ul><li>Orienter</li><li>Informer</li></ul>"


def test_a_version_30_fiche_reads_its_vae_flag_and_jury_the_old_way():
    old = samples.fiche(vae=None, extra="<SI_JURY_VAE>Oui</SI_JURY_VAE><JURY_VAE>Deux professionnels</JURY_VAE>")
    (fiche,) = _read(samples.flux(old, version="3.0"))
    assert (fiche.open_to_vae, fiche.vae_jury_composition) == (True, "Deux professionnels")


@pytest.mark.parametrize(("flag", "expected"), [("Oui", True), ("Non", False), ("", False)])
def test_a_fiche_is_open_to_vae_when_si_jury_vae_says_so(flag, expected):
    assert _one(samples.fiche(vae=flag)).open_to_vae is expected


def test_the_replacement_chain_is_read_both_ways():
    fiche = _one(samples.fiche(replaces=["RNCP 28157", "RNCP12345"], replaced_by=["RNCP40000"]))
    assert (fiche.replaces, fiche.replaced_by) == (("RNCP28157", "RNCP12345"), ("RNCP40000",))


def test_numbers_and_blocs_nested_in_correspondences_are_not_the_fiches_own():
    nested = (
        "<CORRESPONDANCES><CORRESPONDANCE><SOURCE><BLOC_COMPETENCES><CODE>RNCP1BC01</CODE></BLOC_COMPETENCES>"
        "</SOURCE><DESTINATION><NUMERO_FICHE>RNCP2</NUMERO_FICHE><BLOC_COMPETENCES><CODE>RNCP2BC01</CODE>"
        "</BLOC_COMPETENCES></DESTINATION></CORRESPONDANCE></CORRESPONDANCES>"
    )
    fiche = _one(samples.fiche("RNCP90001", extra=nested))
    assert fiche.number == "RNCP90001"
    assert [b.code for b in fiche.blocs] == ["RNCP90001BC01", "RNCP90001BC02"]


def test_a_bloc_code_given_twice_is_read_twice():
    bloc = samples.bloc("RNCP90001BC01", "Accueillir", "<p>Accueillir</p>")
    fiche = _one(samples.fiche(blocs=[bloc, bloc]))
    assert fiche.blocs == (RncpBloc("RNCP90001BC01", "Accueillir", "<p>Accueillir</p>"),) * 2


def test_the_reader_tells_the_version_and_the_count():
    reader = FluxReader(io.BytesIO(samples.flux(samples.fiche("RNCP10001"), samples.fiche("RNCP10002")).encode()))
    assert [f.number for f in reader] == ["RNCP10001", "RNCP10002"]
    assert (reader.version, reader.fiche_count) == ("4.1", 2)


def test_a_zipped_flux_reads_like_the_plain_one(tmp_path):
    xml = samples.flux(samples.rncp35203(), samples.rncp41296())
    plain = list(read_flux(samples.write(tmp_path, xml)))
    zipped = list(read_flux(samples.write_zip(tmp_path, xml)))
    assert [f.content_hash() for f in zipped] == [f.content_hash() for f in plain]


def test_chunk_boundaries_do_not_change_what_is_read():
    xml = samples.flux(samples.rncp35203(), samples.rncp41296(), samples.fiche())
    assert _read(xml, chunk_size=7) == _read(xml)


def test_the_content_hash_changes_with_the_content_not_with_the_position():
    first = _one(samples.rncp35203())
    moved = _read(samples.flux(samples.fiche("RNCP1"), samples.rncp35203()))[1]
    edited = _one(samples.rncp35203().replace("Délimiter le territoire", "Délimiter un territoire"))
    assert moved.content_hash() == first.content_hash()
    assert edited.content_hash() != first.content_hash()


def test_find_fiche_stops_at_the_fiche_asked_for():
    xml = samples.flux(samples.fiche("RNCP1"), samples.fiche("RNCP2"))
    assert find_fiche(io.BytesIO(xml.encode()), "RNCP2").number == "RNCP2"
    assert find_fiche(io.BytesIO(xml.encode()), "RNCP3") is None


# --- broken files: a clear error, with the line and column ------------------------------------


def _error(content: bytes | str) -> RncpFormatError:
    data = content.encode() if isinstance(content, str) else content
    with pytest.raises(RncpFormatError) as info:
        list(read_flux(io.BytesIO(data)))
    return info.value


def test_a_truncated_file_is_an_error_naming_the_line():
    xml = samples.flux(samples.fiche("RNCP1"), samples.fiche("RNCP2"))
    cut = xml[: xml.index("RNCP2") + 40]

    error = _error(cut)

    assert "tronqué" in str(error)
    assert error.line == cut.count("\n") + 1
    assert f"ligne {error.line}, colonne {error.column}" in str(error)


def test_a_mismatched_tag_is_an_error_naming_the_line_and_column():
    xml = samples.flux(samples.fiche()).replace("</INTITULE>", "</TITRE>", 1)
    error = _error(xml)
    assert "balise fermante" in error.message
    line = next(i for i, text in enumerate(xml.splitlines(), start=1) if "</TITRE>" in text)
    assert error.line == line
    assert error.column == xml.splitlines()[line - 1].index("</TITRE>") + 1


def test_a_wrong_root_is_refused():
    error = _error(samples.flux(samples.fiche(), root="CERTIFICATIONS"))
    assert "<CERTIFICATIONS>" in error.message and "<FICHES>" in error.message
    assert (error.line, error.column) == (2, 1)


@pytest.mark.parametrize("version", ["5.0", "2", ""])
def test_an_unknown_version_is_refused(version):
    error = _error(samples.flux(samples.fiche(), version=version))
    assert "non prise en charge" in error.message
    assert error.line == 3


def test_a_flux_without_version_is_refused():
    error = _error("<FICHES>" + samples.fiche() + "</FICHES>")
    assert "VERSION_FLUX manquant" in error.message


def test_an_empty_file_is_refused():
    assert "tronqué" in str(_error(b""))


def test_entity_declarations_are_refused():
    xml = '<!DOCTYPE FICHES [<!ENTITY boom "boom">]>' + samples.flux(samples.fiche()).split("?>", 1)[1]
    assert "entité" in _error(xml).message


def test_a_damaged_zip_is_refused(tmp_path):
    path = samples.write_zip(tmp_path, samples.flux(samples.fiche()))
    data = path.read_bytes()
    with pytest.raises(RncpFormatError, match="zip"):
        list(read_flux(io.BytesIO(data[: len(data) // 2])))


def test_a_zip_must_hold_one_xml_file(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.xml", "<FICHES/>")
        archive.writestr("b.xml", "<FICHES/>")
    with pytest.raises(RncpFormatError, match="exactement un fichier XML"):
        list(read_flux(path))


# --- limits: what a hostile file may cost ----------------------------------------------------

NNBSP = "\u202f"  # French thousands separator


def _zip_bytes(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _limited_error(data: bytes | str, **limits) -> RncpFormatError:
    data = data.encode() if isinstance(data, str) else data
    with pytest.raises(RncpFormatError) as info:
        list(read_flux(io.BytesIO(data), limits=ParseLimits(**limits)))
    return info.value


def test_a_zip_inflating_past_the_limit_is_refused_while_it_is_read():
    # 5 MB of XML (a long run of blank lines between two fiches) in a zip of a few KB.
    xml = samples.flux(samples.fiche("RNCP1"), "\n" * (5 * 1024 * 1024), samples.fiche("RNCP2"))
    data = _zip_bytes({"flux.xml": xml})
    assert len(data) < 50_000

    error = _limited_error(data, xml_bytes=1024 * 1024)

    assert str(error) == "Fichier trop volumineux : le XML du flux dépasse 1 Mo (une fois décompressé)."


def test_the_xml_limit_counts_what_comes_out_of_the_archive_not_what_it_declares():
    xml = samples.flux(samples.fiche("RNCP1"), samples.fiche("RNCP2"))
    data = bytearray(_zip_bytes({"flux.xml": xml}))
    # Make the central directory declare a 10-byte member: the archive is not to be believed.
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    with pytest.raises(RncpFormatError):
        list(read_flux(io.BytesIO(bytes(data)), limits=ParseLimits(xml_bytes=len(xml.encode()) - 1)))
    with pytest.raises(RncpFormatError, match="dépasse"):
        list(read_flux(io.BytesIO(_zip_bytes({"flux.xml": xml})), limits=ParseLimits(xml_bytes=len(xml.encode()) - 1)))
    assert (
        len(list(read_flux(io.BytesIO(_zip_bytes({"flux.xml": xml})), limits=ParseLimits(xml_bytes=len(xml.encode())))))
        == 2
    )


def test_a_plain_xml_file_past_the_limit_is_refused_too():
    xml = samples.flux(samples.fiche("RNCP1"), samples.fiche("RNCP2"))
    assert "dépasse 1" in _limited_error(xml, xml_bytes=1000).message


def test_a_zip_with_too_many_entries_is_refused_before_its_directory_is_read():
    members = {"flux.xml": samples.flux(samples.fiche())} | {f"vide-{i}.txt": "" for i in range(100)}
    error = _limited_error(_zip_bytes(members), zip_entries=100)
    assert error.message == (
        "L'archive zip contient 101 entrées : 100 au plus sont acceptées (un flux RNCP en contient une)."
    )


def test_an_encrypted_zip_is_refused_with_a_clear_message():
    data = bytearray(_zip_bytes({"flux.xml": samples.flux(samples.fiche())}))
    central = data.rindex(b"PK\x01\x02")
    data[central + 8] |= 0x01  # the "encrypted" flag
    assert "chiffrée" in _limited_error(bytes(data)).message


def test_a_text_node_longer_than_the_limit_is_refused_naming_the_fiche_and_the_element():
    long_list = "<p>" + "compétence " * 200 + "</p>"
    xml = samples.flux(
        samples.fiche("RNCP1"),
        samples.fiche("RNCP2", blocs=[samples.bloc("RNCP2BC01", "Bloc", long_list)]),
    )

    error = _limited_error(xml, text_node_chars=1000)

    assert error.message == (
        "Texte trop long dans la fiche n° 2 (RNCP2), élément "
        "<FICHE/BLOCS_COMPETENCES/BLOC_COMPETENCES/LISTE_COMPETENCES> : "
        f"plus de 1{NNBSP}000 caractères."
    )
    assert error.line == next(i for i, line in enumerate(xml.splitlines(), 1) if "compétence compétence" in line)


def test_a_text_node_is_counted_whole_across_cdata_and_entities():
    text = Raw("a" * 400 + "<![CDATA[" + "b" * 400 + "]]>" + "&amp;" * 300)
    xml = samples.flux(samples.fiche(title=text))
    assert "INTITULE" in _limited_error(xml, text_node_chars=1000).message
    assert len(_read(xml, limits=ParseLimits(text_node_chars=1100))[0].title) == 1100


def test_a_fiche_longer_than_the_limit_is_refused_even_when_each_text_is_short():
    blocs = [samples.bloc(f"RNCP1BC{i:02d}", f"Bloc {i}", "<p>" + "x" * 500 + "</p>") for i in range(1, 30)]
    error = _limited_error(samples.flux(samples.fiche("RNCP1", blocs=blocs)), fiche_chars=10_000)
    assert error.message == f"Fiche trop longue : la fiche n° 1 (RNCP1) dépasse 10{NNBSP}000 caractères de texte."


def test_a_flux_within_every_limit_reads_as_without_limits():
    xml = samples.flux(samples.rncp35203(), samples.rncp41296(), samples.fiche())
    limits = ParseLimits(xml_bytes=len(xml.encode()), text_node_chars=20_000, fiche_chars=100_000)
    assert _read(xml, limits=limits) == _read(xml)


# --- a parsed fiche is stored as JSON and read back ----------------------------------------------


@pytest.mark.parametrize(
    "xml_fiche",
    [samples.rncp35203(), samples.rncp41296(), samples.fiche(end_of_registration="31/02/2028", replaces=["RNCP1"])],
)
def test_a_fiche_survives_a_round_trip_through_json(xml_fiche):
    fiche = _one(xml_fiche)
    back = fiche_from_data(json.loads(json.dumps(fiche_to_data(fiche))))
    assert back == fiche
    assert back.content_hash() == fiche.content_hash()


# --- memory ----------------------------------------------------------------------------------


def _peak_reading(fiche_count: int) -> int:
    body = "\n".join(samples.rncp35203().replace("RNCP35203", f"RNCP{i}") for i in range(fiche_count))
    data = io.BytesIO(samples.flux(body).encode())
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_flux(data, chunk_size=64 * 1024))
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_whatever_the_number_of_fiches():
    small_count, small_peak = _peak_reading(100)
    big_count, big_peak = _peak_reading(1000)
    assert (small_count, big_count) == (100, 1000)
    assert big_peak < small_peak * 1.5
