"""Language-independent technical terms that customers use in every language ("2FA", "SSH", "KVM")."""

LEXICON = {
    "tech.performance": """
        1: ms | packet loss | iowait | latency
        2: packet loss | latency | jitter | lag | lags | ping | mtr | traceroute
        1.5: mb s | mbit s | gbit s | mbps | gbps | kb s | iops | mo s | ko s | go s
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
    "component": """
        1: kvm | ipmi | idrac | ilo | bios | vnc | bmc | ikvm | console | konsol* | consola
    """,
    "part": """
        1: psu | ram | dimm* | ecc | ssd | hdd | nvme | raid* | sda | sdb | sdc | nvme0n1 | mdadm
    """,
}
