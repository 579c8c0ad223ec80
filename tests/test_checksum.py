import hashlib

from rag.checksum import file_sha256


def test_file_sha256_matches_the_known_digest(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"abc")
    assert file_sha256(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_file_sha256_reads_a_file_larger_than_one_block(tmp_path):
    data = bytes(range(256)) * 20_000  # 5 MB
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()
