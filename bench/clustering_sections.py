"""Accuracy of the section classifier (``byline.judge.sections``), the fallback for
articles whose feed, operator mapping and URL name no section.

Two labelled sets, both read from ../shared/data (never copied here):

- **extraction**: the 181 pages of the article-extraction benchmark, labelled by hand on
  2026-11-30 from each page's address and the opening of its text (the labels are below, by
  page id): ``W`` World News (politics, public affairs, crime, conflict, general news),
  ``B`` Business (companies, markets, trade, personal finance), ``S`` Science & Technology
  (science, space, health and medicine, consumer technology), ``O`` none of these (sport,
  entertainment, lifestyle, shopping, reviews, blogs, and the pages not in English). Only
  W, B and S pages count toward accuracy; the ``O`` pages are reported apart, since any
  section is wrong for them and the site files them under World News. These pages carry no
  headline in the benchmark, so the classifier sees the text alone.
- **BASIL**: all 300 articles are US political news (New York Times ``/us/politics/``, Fox
  News ``/politics/`` addresses, HuffPost politics), so every one is labelled World News.
  The classifier sees headline and text.
- **demo**: Byline's fictional sample corpus (98 articles; its authors gave each event a
  section). It was written with the first keyword lists in mind: a check, not a measure.

For each set: the classifier alone (``classify``), and the whole chain without feed
categories (``assign_section([], url, …)``: URL path first, then the classifier). The
keyword lists were written from general news vocabulary; these sets were used to check
them, so the figures are in-sample for the classifier's wording.
Run from the repository root: ``.venv/bin/python bench/clustering_sections.py``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"

if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from bench.clustering_streams import load_basil  # noqa: E402
from byline.demo.corpus import load_corpus  # noqa: E402
from byline.judge.sections import SECTIONS, assign_section, classify  # noqa: E402

CODES = {"W": "world", "B": "business", "S": "science-technology"}
BY_NAME = {section.name: section.slug for section in SECTIONS}

# extraction page id (first 16 characters): W, B, S or O
LABELS: dict[str, str] = {
    "042bb7b5fedab6ea": "S",  # www.wsj.com/articles/google-stadia-microsoft-xcloud-apple-ar
    "04a6711caa7c6875": "W",  # www.nytimes.com/2019/11/19/opinion/republicans-elections-imp
    "05844573ca7e1fba": "B",  # www.ctpost.com/news/us/article/New-SUVs-and-electric-vehicle
    "06e5123e4ef7cfb4": "B",  # venturebeat.com/2019/11/18/new-york-state-attorney-general-i
    "06ee193de4bd611f": "S",  # www.slashgear.com/the-vw-id-space-vizzion-is-a-weird-ev-spor
    "076f4f33bf75059d": "O",  # www.newsnation.in/fact-check/news/fact-check-is-an-oxygen-ba
    "08f793762792bd25": "O",  # www.cbssports.com/nfl/news/browns-player-on-mason-rudolphs-r
    "098bb3e96c0acdf3": "B",  # www.latimes.com/entertainment-arts/business/story/2019-11-19
    "0d46122928b6f468": "O",  # www.sportsnet.ca/tennis/argentina-comfortably-wins-davis-cup
    "0dd1357045727799": "W",  # www.theparadigmng.com/2018/10/09/breaking-lawan-moves-motion
    "0e014df693f18282": "O",  # theantijunecleaver.com/2014/09/make-arrowhead-water-a-part-o
    "0ec95c7261d122f3": "O",  # entermedia.co.kr/news/news_view.html?idx=8576&page=1&bc=03&m
    "11ea381ad92b5448": "O",  # www.autoracing.com.br/classificacao-nascar/
    "14cc2a0ca59c62a8": "S",  # www.sciencealert.com/nasa-finds-water-plumes-above-the-surfa
    "156770d676ce7990": "W",  # thehill.com/homenews/news/471033-south-dakota-governor-doubl
    "16c30add7e96315e": "S",  # www.vox.com/science-and-health/2019/11/8/20948348/delhi-indi
    "1ace8c85aaee21b9": "B",  # techcrunch.com/2019/11/18/new-york-state-attorney-general-re
    "1ee91d1fce65e09b": "W",  # www.polygraph.info/a/fact-check-russia-us-al-tanf-rukban/302
    "1f765c48780665e8": "W",  # sputniknews.com/columnists/201911181077343476-royal-self-ind
    "20b2b64916b00b25": "O",  # www.remember8090.it/black-friday-per-nostalgici-le-occasioni
    "21486419bb109c5a": "O",  # kabarislamia.com/2015/03/30/jangan-membenci-satu-kaum-secara
    "232a43fb15abde80": "S",  # www.macrumors.com/2019/11/18/13-inch-macbook-pro-scissor-key
    "23aaecd14171f96c": "O",  # comoeducarseusfilhos.com.br/blog/uma-palinha-das-brincadeira
    "264dc3ae31249cb1": "O",  # www.twincities.com/2019/11/19/parise-scores-2-goals-wild-bea
    "287e4d9f4af31733": "O",  # www.ign.com/articles/2019/11/18/daily-deals-more-black-frida
    "291a8bf33ee49074": "S",  # www.crn.com/news/cloud/tim-cook-on-apple-being-pulled-into-t
    "2c46804d9db4a85e": "W",  # www.cbsnews.com/news/michael-webb-fort-worth-dramatic-video-
    "2f42ef1d3ea0c96e": "B",  # www.wired.com/story/the-future-of-banking-is-youre-broke/
    "30b771a40a4e9615": "O",  # www.morebikes.co.uk/7908/bike-style-book-soundtrack-review/
    "3252222e61fe7898": "O",  # comoeducarseusfilhos.com.br/blog/a-fantastica-loja-dos-mater
    "33fe2471fd553c65": "O",  # www.inexhibit.com/marker/54885/
    "34a7328535ad4e60": "O",  # www.linknaija.com/2018/10/nollywood-actress-kate-henshaw-is.
    "358cc4a080456476": "O",  # www.linknaija.com/2018/08/breaking-news-chelsea-activate-716
    "359fee228518d55b": "S",  # www.sciencealert.com/we-finally-have-a-global-geological-map
    "35b158918c676ff2": "O",  # www.cleveland.com/entertainment/2019/11/doobie-brothers-to-r
    "360c732d1fdbfc68": "B",  # www.cityam.com/alibaba-to-raise-up-to-12-9bn-in-landmark-hon
    "374ac9a59a85196c": "B",  # www.cnbc.com/2019/11/20/emirates-inks-order-for-30-boeing-78
    "39d5c43beb60605c": "B",  # www.deccanherald.com/business/economy-business/beijing-tarif
    "3c5bf8db4272925b": "S",  # www.livescience.com/most-detailed-universe-simulation.html
    "3c6d3381ef52ca26": "O",  # www.wday.ru/articles/mastera-vkusa-i-krasotyi-23-samyih-krut
    "3cb22bfabed8de71": "S",  # www.slashgear.com/2020-audi-e-tron-sportback-revealed-as-ele
    "3cb5e2f46626d5bb": "O",  # www.autoindustriya.com/auto-industry-news/all-new-2020-sentr
    "3ce1c8fdf6ad2ded": "O",  # www.catchitkansas.com/content/news/Friday-State-Swim-Results
    "3d8f3404cf975af8": "O",  # www.indiewire.com/2019/11/mary-steenburgen-jessie-buckley-wi
    "3f65af7b6b98b1c9": "O",  # www.nj.com/entertainment/2019/11/florida-man-exists-south-da
    "4219d096902dad9f": "O",  # theantijunecleaver.com/2017/12/spiced-honey-pear-jam-recipe/
    "42aad16bde928862": "S",  # www.aljazeera.com/ajimpact/nasas-commercial-moon-shot-musk-b
    "432362af0be43f6d": "S",  # nypost.com/2019/11/18/chinese-hunter-catches-bubonic-plague-
    "4648a420af9984d4": "B",  # www.expapp.com/blog/introducing-junior-gaspard-new-ceo-exper
    "4a44ab3e4c41d56c": "W",  # www.rt.com/news/473849-3-morales-supporters-killed-bolivia/
    "51374560f40088e2": "B",  # www.foxbusiness.com/markets/home-depot-sales-earnings-retail
    "51d066b0602c9421": "W",  # www.nbcdfw.com/news/local/We-Got-Her-Video-Shows-Dramatic-Re
    "5211188428849a31": "O",  # jeongdongtheater.com/blog/2018/10/12/palace-tale-jang-noksu-
    "55bb6340e3d7dd86": "B",  # dealbreaker.com/2019/11/opening-bell-11-18-19
    "57b4dafd18cfd053": "O",  # blog.comwrap.com/die-elektronische-patientenakte-der-lange-m
    "57d46c9d751e3fd3": "B",  # www.reuters.com/article/us-global-markets/asian-shares-soft-
    "57e2e98887a19656": "B",  # my6sense.com/2018/07/02/native-ad-platform-my6sense-names-mo
    "5a822960e9a2cb1e": "W",  # www.nbcnews.com/news/world/house-hitler-was-born-will-become
    "5ae11e580afc12d3": "B",  # www.ascom.com/news-and-events/Ascom-business-news/Ascom-anno
    "5caf91b8a4423735": "W",  # www.sfgate.com/news/crime/article/The-Latest-Man-stabbed-to-
    "5f03fc173ebc6abd": "O",  # www.beachbodyondemand.com/blog/a-little-more-obsessed-meal-p
    "5f9c5ed5d64dfe68": "W",  # www.indiapost.com/with-shattered-dreams-deportees-return-hom
    "5fa3154ec031ab35": "W",  # www.theguardian.com/commentisfree/2019/nov/18/the-guardian-v
    "5fa5679de56c43ed": "S",  # gizmodo.com/so-this-is-the-future-of-apple-innovation-183992
    "5fbc7ccb504c755a": "S",  # www.zdnet.com/article/best-tech-gadgets/
    "612cd29826624e68": "O",  # www.morebikes.co.uk/7721/clymer-workshop-manual-review/
    "624fcd903d56fc70": "W",  # www.express.co.uk/news/world/1206313/hong-kong-latest-china-
    "63db31a161b3c5b6": "O",  # www.vg247.com/2019/11/20/star-wars-jedi-fallen-order-pc-revi
    "65408257dbe4b41f": "B",  # www.moneycontrol.com/news/business/markets/economy-in-stress
    "65bf3048b500bbd8": "S",  # appleinsider.com/articles/19/11/18/16-inch-macbook-pro-revie
    "65ce3a4577a03069": "O",  # www.detroitnews.com/story/sports/college/2019/11/19/tuesdays
    "680c2848e94a96f9": "S",  # digg.com/2019/is-stadia-good-worth-it-reviews
    "686bb170effe273e": "S",  # www.space.com/jupiter-moon-europa-water-vapor-confirmed.html
    "6a72de37e8f98f4e": "O",  # www.dawgsbynature.com/2019/11/18/20970600/browns-defensive-s
    "6ebac05f637ece8a": "W",  # thehill.com/blogs/blog-briefing-room/news/471031-new-york-ma
    "702d1da63b8e064c": "B",  # www.nytimes.com/2019/11/18/business/trump-trade-war-china.ht
    "70cb2d5bca75ab5a": "O",  # www.bbc.com/news/newsbeat-50470672
    "776a1c046798b474": "W",  # www.usatoday.com/story/news/nation/2019/11/19/meth-were-it-s
    "7837c9d66c815b9a": "O",  # kabarislamia.com/2015/10/27/sejarah-pecahnya-islam-jadi-sunn
    "785affa2c34e6e48": "O",  # www.theverge.com/2019/11/19/20973355/noah-hawley-star-trek-4
    "7916ecca969ffdd8": "W",  # www.aljazeera.com/news/2019/11/service-members-killed-afghan
    "7a457a4f71735c17": "W",  # www.nbcnews.com/news/us-news/new-york-man-pleads-guilty-thre
    "7a664e40d256470f": "W",  # www.cbsnews.com/news/impeachment-hearings-key-moments-from-k
    "7ab16ade32386ece": "O",  # www.wsj.com/articles/is-football-violence-a-crime-1157412188
    "7bb1ca9035431384": "S",  # gizmodo.com/a-man-developed-feather-duvet-lung-after-getting
    "7de5241947a5f714": "W",  # www.detroitnews.com/story/news/nation/2019/11/19/thousands-t
    "7dfc3e359d7c0ca4": "O",  # www.foxnews.com/entertainment/james-van-der-beek-eliminated-
    "7f93c1944a41d019": "S",  # www.newsweek.com/cannabis-use-disorder-rising-us-states-wher
    "8267acacb9e4a109": "S",  # www.hollywoodreporter.com/news/google-bets-future-launch-sta
    "82b6d780c792df78": "W",  # hosted.ap.org/berkshireeagle/article/6486944b076b4df99a583a3
    "833caf3bdba53dcf": "W",  # www.albawaba.com/news/world-community-lashes-out-us-no-longe
    "8380689f358c1e3a": "W",  # www.snopes.com/fact-check/marie-yovanovitch-net-worth/
    "851498a2b9f4f0b5": "O",  # slate.com/culture/2019/11/john-ford-science-fiction-fantasy-
    "85439e26c41c7590": "O",  # www.lhpat-tm.com/blog/decision-info/index-2726.html
    "8634d1211c3f2b73": "B",  # www.latimes.com/business/story/2019-11-19/gannett-gatehouse-
    "87438a0dacbeb979": "O",  # www.oregonlive.com/advice/2019/11/dear-abby-husband-springs-
    "87bf60570e6e2e33": "W",  # www.washingtonexaminer.com/opinion/in-prince-andrews-dumpste
    "88c328b68b038a62": "O",  # www.telegraph.co.uk/tennis/2019/11/19/tennis-podcast-davis-c
    "8b19453030820413": "S",  # www.thesun.co.uk/news/10371941/hunter-diagnosed-bubonic-plag
    "8cad00dc22de45ba": "O",  # jeongdongtheater.com/blog/2018/10/15/palace-tale-jang-noksu-
    "8e3efab59f48fd29": "O",  # profootballtalk.nbcsports.com/2019/11/19/anthony-lynn-we-nee
    "921019755f4a96ac": "O",  # news.sky.com/story/jose-mourinho-agrees-deal-to-replace-maur
    "94fbcc2677208864": "O",  # www.inexhibit.com/marker/milan-design-week-2018-michael-anas
    "95301fb7883e0ee5": "O",  # vortexcannon.org/about-bugs/
    "961bd85ca85aaf79": "W",  # www.therepublic.com/2019/11/20/cpd_arrests_six_in_drug_inves
    "9a440270bf8625d5": "O",  # www.cbssports.com/soccer/news/uefa-euro-2020-qualifying-trac
    "9cb8224b660f36c9": "O",  # www.billboard.com/articles/news/8544119/doobie-brothers-reun
    "9da36ae4714bfccc": "O",  # entermedia.co.kr/news/news_view.html?idx=8723&page=1&bc=&mc=
    "9e8c9f082a8d77c5": "W",  # www.politifact.com/west-virginia/statements/2019/nov/18/davi
    "9ebb3af65694a953": "B",  # www.chron.com/business/article/New-car-sales-plunge-10-perce
    "9eef8162bbb67b0b": "S",  # www.msn.com/en-us/health/other/the-man-whose-duvet-nearly-ki
    "a078b3656adc0295": "S",  # www.forbes.com/sites/brucelee/2019/11/18/how-this-mans-beddi
    "a1fca19b884e0e94": "W",  # nypost.com/2019/11/19/three-taliban-prisoners-flown-to-qatar
    "a6968f427cdb7865": "W",  # www.ctpost.com/news/article/Deval-Patrick-takes-nascent-2020
    "a860fb5eda1ac75d": "O",  # vortexcannon.org/dare-to-play-3-october-pack-2/
    "aadb38e527d53793": "O",  # www.autoindustriya.com/auto-industry-news/lexus-wants-you-to
    "aade2ec8d1e7b091": "S",  # mspoweruser.com/google-stadia-red-dead-redemption-2-doesnt-r
    "abd9d6291b6bfae0": "W",  # www.msn.com/en-us/news/us/doctors-offer-to-give-free-flu-sho
    "ac1bfdd4c510f679": "O",  # www.rollingstone.com/music/music-news/doobie-brothers-michae
    "ac3c035520461017": "O",  # blog.givewell.org/2018/09/10/september-2018-open-thread/#com
    "ad826691a8a2f9c4": "O",  # 9to5mac.com/2019/11/18/macbook-deals-airpods-more/
    "ad9e9e596f21a681": "O",  # blog.givewell.org/2018/10/09/a-grant-to-evidence-action-beta
    "aec5deeaada8b2fb": "W",  # www.sfgate.com/news/article/7-key-questions-heading-into-Wed
    "b0cf2bbf0192315e": "B",  # www.pv-magazine.com/2019/11/20/south-koreas-roadmap-to-drive
    "b37be3535e1fb61e": "S",  # www.ctvnews.ca/sci-tech/snooze-cruise-study-sees-future-for-
    "b3c19dd5f0612d09": "O",  # www.mensagensreflexao.com.br/quem-se-ama
    "b6906ca016bbfc64": "B",  # www.politifact.com/truth-o-meter/article/2019/nov/18/politif
    "b6fb53e9fb043c98": "O",  # www.remember8090.it/remake-serie-animata-de-i-cavalieri-dell
    "ba07d1e64775f409": "O",  # blog.comwrap.com/comwrap-auf-der-dmexco-2018
    "ba4dfe2d3e817ff7": "S",  # www.express.co.uk/news/science/1205992/bubonic-plague-china-
    "bc13ff87b2630ffb": "B",  # therealdeal.com/2019/11/18/thousands-of-wework-employees-to-
    "bd673bd7988144f0": "S",  # www.livescience.com/feather-duvet-lung.html
    "bdb56ac83513635d": "S",  # www.quantamagazine.org/tuft-cells-that-taste-danger-set-off-
    "c00962aabe7bdd1f": "S",  # www.thespacereview.com/article/3834/1
    "c13b9c0e04fb28d4": "W",  # www.spokesman.com/stories/2019/nov/19/meth-were-on-it-spokan
    "c467d507551a836e": "S",  # detroit.cbslocal.com/2019/11/19/michigan-officials-6th-fatal
    "c4a3637c6696f238": "O",  # gto-normativy.ru/skajrim-skorost-bega-kak-uvelichit/
    "c50845a7158af12e": "S",  # www.space.com/nasa-picks-spacex-blue-origin-private-moon-lan
    "c582d3b772578e8f": "O",  # www.bigbrandsystem.com/business-focus/
    "c58aa507c4deebd6": "W",  # www.usatoday.com/story/news/politics/2019/11/19/prison-guard
    "c69e539d689a8335": "B",  # www.ascom.com/news-and-events/Ascom-business-news/ascom-and-
    "c7e39ac49fa1235f": "W",  # www.bbc.com/news/world-europe-50473792
    "c81e134ed49902bc": "O",  # www.floridatoday.com/story/sports/high-school/2019/11/20/hs-
    "c82b3d1d540bbbd6": "O",  # www.wday.ru/articles/53-letnyaya-model-posmotri-na-krasotku-
    "c90731f051d033e4": "W",  # www.deccanherald.com/international/impeachment-sham-complete
    "cc03ddb5ef7d5f1f": "O",  # www.autoracing.com.br/calendario-stock-car-2018/
    "cc4aa22b8212aec7": "O",  # 9to5mac.com/2019/11/18/techy-gift-guide/
    "d0382c0d9573a0a7": "W",  # www.timesunion.com/news/us/article/PG-E-begins-new-mass-powe
    "d1c57d7821e5a5b2": "S",  # spacenews.com/nasa-adds-five-companies-to-commercial-lunar-l
    "d48aeb9cf2f2ff15": "S",  # www.wired.com/story/instagram-business-accounts-analytics/
    "d605bdef2cde7308": "B",  # www.cnn.com/2019/11/18/investing/asian-market-latest/index.h
    "d90bda7ed14df195": "W",  # www.panarmenian.net/eng/news/275221/
    "db6b0816c612296c": "W",  # www.chron.com/news/world/article/Esper-says-US-providing-Vie
    "dc7ccccc1f34eb29": "W",  # www.albawaba.com/news/sweden-drops-its-investigation-rape-al
    "dfd43bc0d46e7aaa": "B",  # my6sense.com/2018/02/15/bi-research-shows-mix-native-ad-unit
    "e100c9612ad8495d": "S",  # wccftech.com/stadia-destiny-2-1080p-medium-rdr2-1440p/
    "e1c7023ee2148901": "S",  # phys.org/news/2019-11-hibernating-astronauts-smaller-spacecr
    "e1cd54e5577d077d": "O",  # practicalhorsemanmag.com/news/4-things-to-do-in-october
    "e372e42c0a3df7b8": "W",  # www.jpost.com/Breaking-News/Son-of-former-German-president-s
    "e4c6a3b482403a8f": "W",  # www.washingtonexaminer.com/opinion/why-beijing-will-bring-sl
    "e593d7fe88f9f5cd": "O",  # www.healthline.com/nutrition/how-to-overcome-binge-eating
    "e7301133baab4359": "W",  # www.theparadigmng.com/2018/10/09/saraki-melaye-ben-bruce-dra
    "e7994d5500875202": "W",  # hosted.ap.org/citizensvoice/article/2896af5086674d4bbbbd454d
    "e7d77f1869803e24": "O",  # bgr.com/2019/11/19/apple-black-friday-2019-deals-best-availa
    "ea25dd7edff4d279": "S",  # www.smithsonianmag.com/smart-news/three-cases-plague-diagnos
    "eb62ac8425e55739": "O",  # www.foxnews.com/entertainment/scooter-braun-frustrated-big-m
    "ec3878db7e49b1ed": "O",  # www.beachbodyondemand.com/blog/ilana-muhlstein-game-day-snac
    "ec7fc408c5ce66c2": "O",  # www.bigbrandsystem.com/success-mindset/
    "ecb46e3e489d2aac": "O",  # www.timesunion.com/sports/article/Nelson-s-OT-goal-lifts-Isl
    "eecd2575093b8593": "O",  # www.mysanantonio.com/sports/article/LeBron-sets-triple-doubl
    "ef2b3f268a67950c": "W",  # www.mysanantonio.com/news/article/Cat-found-in-New-Mexico-af
    "ef4e67b66d63b5fa": "W",  # www.cnn.com/2019/11/18/politics/donald-trump-health-walter-r
    "f105de6e63ca91ea": "O",  # note100yen.com/en-180816.html
    "f344ca5fb36e130f": "S",  # www.hawaiinewsnow.com/2019/11/19/scientists-use-hawaii-teles
    "f5c90a6d5253c3a2": "W",  # www.nationalreview.com/2019/11/trump-impeachment-inquiry-ada
    "f6ac15a4d9851139": "O",  # jaraguadosul.com.br/news/servi-o-de-atendimento-domiciliar-r
    "f81c6c05d9cbc933": "B",  # www.businessinsider.com/how-to-retire-early-steps-for-early-
    "f8ff621a0b9b7646": "B",  # www.barrons.com/articles/home-depot-stock-earnings-report-51
    "fde930b01859de83": "S",  # www.businessinsider.com/10-things-in-tech-you-need-to-know-t
    "ff0f958ade714ebf": "O",  # vse-diety.com/dieta-atkinsa.html
    "ffc109d474fdee1a": "B",  # www.cnbc.com/2019/11/19/beauty-stock-coty-could-surge-after-
}


def _score(cases: Sequence[tuple[str, str, str, str]]) -> tuple[float, float, Counter[str]]:
    """(classifier accuracy, chain accuracy, confusion of the classifier) over
    (gold slug, url, title, text) cases."""
    alone = chain = 0
    confusion: Counter[str] = Counter()
    for gold, url, title, text in cases:
        guess = classify(title, text).slug
        alone += guess == gold
        chain += assign_section([], url, title, text).slug == gold
        confusion[f"{gold} → {guess}"] += 1
    return alone / len(cases), chain / len(cases), confusion


def main() -> int:
    truth_path = DATA / "extraction" / "ground-truth.json"
    if not truth_path.is_file() or not (DATA / "basil" / "articles").is_dir():
        print(f"skipped: evaluation data {DATA} not found")
        return 0
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages = []
    other: Counter[str] = Counter()
    for page_id, page in truth.items():
        label = LABELS[page_id[:16]]
        if label == "O":
            other[classify("", page["articleBody"]).slug] += 1
            continue
        pages.append((CODES[label], page["url"], "", page["articleBody"]))
    items, _, _ = load_basil(DATA / "basil")
    basil = [("world", item.url, item.title, item.text) for item in items]
    demo = [
        (BY_NAME[a.section], "", a.headline, "\n".join(a.paragraphs))
        for a in load_corpus().articles
    ]
    print("Section classifier accuracy (labelled by hand; see the docstring)\n")
    print("| Set | Articles | Classifier alone | URL path, then classifier |")
    print("|---|--:|--:|--:|")
    confusions = {}
    sets = (
        ("extraction pages (W/B/S)", pages),
        ("BASIL (all World News)", basil),
        ("demo corpus (fictional)", demo),
    )
    for name, cases in sets:
        alone, chain, confusion = _score(cases)
        confusions[name] = confusion
        print(f"| {name} | {len(cases)} | {alone:.3f} | {chain:.3f} |")
    for name, confusion in confusions.items():
        print(
            f"\nClassifier alone, {name}: "
            + ", ".join(f"{k} {v}" for k, v in sorted(confusion.items()))
        )
    print(
        f"\nPages of no section ({sum(other.values())}), filed by the classifier as: "
        + ", ".join(f"{k} {v}" for k, v in sorted(other.items()))
    )
    print("\nCommand: `.venv/bin/python bench/clustering_sections.py`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
