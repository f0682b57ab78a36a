"""Language-independent technical terms that customers use in every language ("2FA", "SSH", "KVM")."""

LEXICON = {
    "tech.performance": """
        1: ms | packet loss | iowait | latency
    """,
    "tech.config": """
        1: rdns | ptr | vlan | iptables | nftables | ufw
    """,
    "tech.hardware": """
        1: kvm | ipmi | idrac | ilo | smart | nvme
    """,
    "account.access": """
        1: 2fa | totp | otp
    """,
    "outage": """
        1: ssh
    """,
}
