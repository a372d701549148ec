"""Security: the keys of an encrypted profile and the device's credential (Qt-free).

``key_wrap`` derives keys from passwords (Argon2id) and wraps the database key (AES-GCM);
``profile`` keeps the wrapped keys in ``profile.json`` and encrypts a plain folder;
``credentials`` keeps the sync token in the system keyring (else the encrypted database).
Imports ``db`` (the folder's layout, the meta table, raw connections) and nothing above it.
"""
