"""English. Weights: 3 decides on its own, 2 strong, 1 supporting. Format: see lexicon/__init__.py."""

LEXICON = {
    "greeting": """
        2: hi | hello | hey | good morning | good afternoon | good evening | greetings | howdy | hiya | hi there
        2: morning | afternoon | evening | yo | anyone there | anyone around | is anyone there
    """,
    "thanks": """
        2.5: thanks | thank you | thx | ty | cheers | many thanks | much appreciated | appreciate it
        2: all sorted | sorted | works now | working now | it works | fixed | resolved | that s all | that is all
        3: back to normal | working again | back up | back online
        2: bye | goodbye | have a nice day | have a good day | great | perfect | awesome | brilliant
        1.5: ok | okay | got it | cool | fine
        2: all good | works fine now | that helped | that did it | problem solved | appreciate
    """,
    "human": """
        3: human | real person | live agent | an agent | a person | operator | representative | someone from support
        3: talk to someone | speak to someone | speak with someone | talk to a person | speak to a person
        3: call me back | callback | call me | phone call | not a bot | not a robot | with a bot | to a bot
        3: give me a call | call on | over the phone | someone from your team
        2: person | agent | someone
        3: staff member | talk to | speak to | speak with | a human
        3: member of your staff | member of staff | someone contact me | someone call me
        3: human
        3: someone real | somebody real | a real one | actual person | actual human
    """,
    "faq.response_time": """
        3: response time | how fast | how quickly | when will i get | when can i expect | how long until
        2: sla
        3: how long before someone | acknowledgement | acknowledgment | get back to me | first response
        3: how long ~ to respond | how long ~ to reply | how long ~ to answer | reply to my ticket
        3: for someone to reply | someone to respond | to reply | haven t heard | heard anything | heard back
        2: respond | reply | answer | guaranteed
        3: hear back | get a reply | get an answer | how soon | how long will it take to get
        3: picks up | pick up my ticket | how long before | look at my ticket
        3: to respond | to reply | to answer
        -3: stopped responding | stops responding | not responding
        5: how long ... respond* | how long ... reply | how long ... answer | how long ... get back | how long ... pick* up | how long till ... pick* | how soon ... respond* | how long ... hear back
    """,
    "faq.contact": """
        3: email address | e mail address | phone number | contact support | reach support | how can i contact
        3: how do i contact | how to contact | get in touch | live chat | chat 24 | chat available 24 | hotline
        3: other than the chat | besides the chat | apart from chat | which channels | support email | by phone
        3: phone line | support line | 24 7
        2: contact | reach | channel* | email | phone
        3: call you | can i call | contact you | phone number for
        2.5: only via | only through | only by
        5: chat ... 24 | chat ... weekend* | chat ... night | chat ... business hours | chat ... available | chat ... staffed
    """,
    "faq.hours": """
        3: working hours | business hours | opening hours | office hours | what time | until when | what hours
        3: open on | open at | available on | on weekends | at the weekend | on saturday | on sunday | holidays
        3: is ~ open | are ~ open | is ~ available now | are ~ available now | right now | currently available
        3: when can i reach | late in the evening | around late
        2: at night
        2: available | weekend | billing team | billing department | accounts team
        1: open
        1: sysadmins | datacenter staff | datacenter team | in the evening
        2.5: weekends | holidays | open on | hours of
        3: on a saturday | on a sunday | on saturdays | on sundays | close | closes | closed
        1: monday | tuesday | wednesday | thursday | friday | saturday | sunday
        2.5: on mondays | on fridays | on weekdays | weekdays | on bank holidays | public holidays
    """,
    "faq.escalation": """
        3: escalat* | transferred to | passed to another | forwarded to another | resubmit | open a new ticket
        3: second level | level 2 | tier 2 | do i need to do anything | do i have to do anything | what does it mean
        2: transferred | forwarded | why was my
        3: handed over | handed to | passed on to | moved to another | reassigned | open a new one
        2: another team | other team | a new one | new ticket
    """,
    "faq.resolution_time": """
        3: how long does it take to | how long does it usually take | how long will it take to | resolution time
        3: how long to fix | how long to replace | how long to repair | how long to resolve | how long does a
        3: typically take | usually take | normally take | time to fix | time to repair | time to replace
        2: how long | usually | typically | on average
        3: how long
        2: roughly | approximately | about how long
        3: quickly ~ replace | how fast ~ replace | quickly do you replace | quickly ~ fix | quickly ~ repair
        5: how quickly ... replace* | how quickly ... fix* | how quickly ... repair* | how fast ... replace* | how fast ... fix* | how long ... replace* | how long ... fix* | how long ... resolv* | how long ... repair* | turnaround | typical resolution
    """,
    "faq.notifications": """
        3: notification* | notices | maintenance notice* | status page | notified | alerts | announcements
        3: maintenance emails | informed about
        2.5: planned maintenance | scheduled maintenance
        2: maintenance | notify | notice
        3: maintenance window* | before maintenance | email before | notice before
        3: where do ... notifications | where ... notices | where ... show up | maintenance info*
    """,
    "faq.ticket": """
        3: open a ticket | create a ticket | submit a ticket | raise a ticket | which department | what department
        3: which priority | what priority | which category | should i choose | should i pick | should i select
        3: how do i open | how to open | how do i create | how do i submit
        2: priority | department | category | choose | pick | select
        3: where ... ticket | where do i open | where can i open | where do i create | where can i create | where do i submit
        2: open ~ ticket | create ~ ticket | raise ~ ticket | submit ~ ticket
    """,
    "faq.incident_info": """
        3: what information | what info | what details | what should i include | what do you need from us
        3: what to include | which details | what data
        2: report an incident | reporting an incident | critical incident | in the report | if one of our | goes down
        3: report contain | should ~ contain | incident report | what goes in
        3: what info* | what do you need | what should i put | what should we put | what to put | put in the ticket | what do you guys need | what should i send
    """,
    "billing.charge": """
        3: charged twice | double charge* | double billed | billed twice | two invoices | duplicate invoice
        3: wrong amount | incorrect amount | overcharged | invoice amount | vat | payment not showing
        2.5: invoice total | higher than | more than usual | billed for
        3: payment ~ not showing | payment ~ not reflected | not credited | correct the invoice | invoice is wrong
        1.5: invoice* | charge* | billed | billing | amount | payment
        3: haven t received the invoice | invoice is wrong | wrong invoice | overbilled
        3: unpaid | shows as unpaid | marked as unpaid | still unpaid | still shows as | already paid | paid the invoice | paid invoice | paid my invoice
        3: suspended for non payment | suspended for nonpayment | despite payment | although we paid | although i paid | payment has not been recorded | not been credited
        3: company name | billing address | invoice address | vat number | invoice says | invoice shows | invoice lists
        2: on the invoice | on my invoice | we paid | i paid
        2: bank transfer | wire transfer
    """,
    "billing.refund": """
        3: refund* | money back | payment failed | payment fails | payment declined | payment error | card declined
        3: payment gateway | checkout fail* | can t pay | cannot pay | unable to pay | pay back | reimburse*
        3: at checkout | payment ~ failing | payment keeps failing
        2: cancel my order | cancel the order | cancellation | chargeback
        3: payment won t go through | can t complete payment | payment didn t go through | get my money back
        3: tried to pay | trying to pay | payment ~ fails
        2: paypal | stripe | 3ds | 3d secure | checkout
        3: rejecting my card | rejects my card | card ~ rejected | could not be processed | payment could not | transaction failed | transaction declined | refund the difference
    """,
    "billing.credit": """
        3: service credit | credit for | compensation | compensate | exception | make an exception | hold off
        3: extension | grace period | not suspend | don t suspend | before suspending | suspending | suspension
        3: management approval | special arrangement | goodwill | discount for the
        3: per your sla | under the sla | sla credit | extra days to pay | more time to pay | days to pay
        2.5: due to the outage | for the outage | because of the outage | s outage
        2: credit | discount | approval | suspend*
        -3: credit card
        3: special rate | management approve | approve a | non profit
        2: approve
        3: few days late | days late | keep ~ running | be late | late payment | pay late
        1.5: late
        -2: suspended for non payment | suspended for nonpayment
        3: waive* | write off | forgive the | exempt* | cancel the fee | remove the fee | drop the fee | late fee | setup fee | setup fees
    """,
    "outage": """
        3: is down | are down | went down | has been down | completely down | totally down | unreachable
        3: stopped responding | stopped working | went offline | not loading
        3: not responding | not reachable | offline | no ping | cannot reach | can t reach | can t connect
        3: cannot connect | inaccessible | won t boot | doesn t boot | will not boot | not booting | won t start
        3: completely unreachable | all services are down | nothing works | nothing is working | is dead
        2.5: down | not working | isn t working | doesn t work | no access | hasn t come back | goes down | goes offline
        1.5: completely | totally | all services | our customers are affected | everything
        -3: not completely | not totally | intermittent* | sometimes | from time to time | occasionally
        3: can t access the server | cannot access the server | server is not reachable | no response from
        3: via ssh | over ssh | no sign of life | not even ssh
        3: won t power on | doesn t power on | will not power on | not powering on | has no power | is powered off | has powered off | won t turn on
        -2.5: power down | powering down | powered down | shut down | shutting down | shutdown | slow down | scale down | down to | down from
        -3: server is running fine | server itself is fine | server is fine | server itself runs | server is up | still running | runs fine | running normally | otherwise fine | works normally | is otherwise ok
        3: completely dead | totally dead | server ~ dead | server died | server has died | server ~ crashed | box is dead
        3: won t load | doesn t load | will not load | unresponsive | isn t responding | not responding at all | totally unreachable
    """,
    "failed": """
        2.5: dead | crashed | failed | died | broke | broken
    """,
    "hypothetical": """
        1: if my | if our | if the server | if a server | if one of | in case | when a server | should ~ go down
    """,
    "past": """
        1: last week | last month | previous week | last monday | last tuesday | last wednesday | last thursday | last friday | the other day
    """,
    "tech.outage": """
        2: urgent | emergency | critical | outage
        0.5: help
    """,
    "tech.performance": """
        3: slow | slowness | latency | packet loss | lag* | sluggish | high ping | bandwidth | throughput
        3: very slow | really slow | extremely slow | takes forever | degraded performance | poor performance
        2: iowait | cpu load | load average | performance | timeout* | jitter
        3: laggy | high latency | takes ages | very slow | timeouts
        3: crawl* | terrible i o | disk writes | i o wait | slow disk
        1.5: terrible
        3: write speed | read speed | transfer rate | transfer speed | dropped to | drop in throughput | much slower | slower than usual | degraded
        2.5: instead of the usual | instead of the normal | only ~ mb s | down to ~ mb s
        3: take forever | taking forever | forever to load | ages to load | like a snail | snail
    """,
    "tech.config": """
        3: configure | configuration | set up | setup | firewall | rule* | reverse dns | rdns | ptr record
        3: open port | open the port | unblock port | unblock the port | install | vlan | additional ip
        3: custom | special configuration | enable | whitelist | allowlist
        2: port | reinstall* | subnet | routing | proxy | ptr
        3: on delivery | at delivery | set up a raid | set up raid | configure raid | raid setup | build a raid
    """,
    "tech.hardware": """
        3: kvm access | ipmi access | access to kvm | access to ipmi | access to the kvm | need kvm | need ipmi | kvm over ip
        3: disk* | drive* | hdd | raid | ram | memory | stick | psu | power supply | replace* | swap out
        2: failing | faulty
        3: on site | on-site | remote hands | technician | kvm | ipmi | idrac | ilo | cable* | cabling
        3: network card | nic | motherboard | fan | hardware | reseat | failed disk
        2: defective | broken | rack | plug
        3: upgrade ram | add ram | more ram | add a disk | add another disk | hardware failure
        2.5: noise* | noisy | clicking | beeping
    """,
    "account.access": """
        3: client area | customer portal | customer area | log in | login | log into | sign in | password
        3: reset link | 2fa | two factor | two-factor | authenticator | verification code | locked out
        3: can t access my account | cannot access my account | account locked
        2: access | code | link ~ expired
        1: account
        3: forgot my password | can t login | cannot login | can t log in | reset my password
        3: credentials | can t get in | won t let me in | login fails | login failed | cannot sign in | can t sign in
    """,
    "other": """
        2.5: do you offer | do you provide | do you sell | partner program | referral program
        1.5: do you have | can you send us
        2.5: quote | certificate* | certification | colocation | audit | agency | agencies | reseller
        2: pricing | price* | contract | gdpr | iso | availability
        3: quote for | send us a quote | price quote | send us an offer | move my services | transfer my services | move ~ to another account | to a different client account | to a different account | to another account | merge ~ accounts | change the account holder | account ownership
        3: how much is | how much does ... cost | how much do ... cost | what does ... cost | price of | prices for | cost of an
    """,
    "part": """
        1: disk* | drive* | memory | power supply | psu* | motherboard | fan | fans | controller | network card | stick*
    """,
    "fault": """
        1: fault* | fail* | error* | dead | died | defective | broken | bad | degraded | predictive failure | machine check
    """,
    "channel": """
        1: chat | live chat | hotline | phone line | phone support
    """,
    "team": """
        1: billing | accounts | sysadmin* | datacenter | technicians | techs | admins | team | department | engineers
    """,
    "purchase": """
        1: quote | quotation | offer | pricing | price list | buy | purchase | order new
        1: how much | cost | price
    """,
}
