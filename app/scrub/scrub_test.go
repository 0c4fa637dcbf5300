package scrub

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/digitalebalie/balie/app/domain"
)

// removed: what the visitor typed, and what is stored.
var removed = []struct{ in, want string }{
	// Dutch, Belgian numbers in all the ways people write them
	{"Bel me op 0470 12 34 56 aub", "Bel me op […] aub"},
	{"gsm +32 470 12 34 56.", "gsm […]."},
	{"Stad Gent: 09 234 56 78", "Stad Gent: […]"},
	{"0032470123456", "[…]"},
	{"nr 04 70/12.34.56", "nr […]"},
	{"0470.12.34.56 of 0470-12-34-56", "[…] of […]"},
	{"0470/123456", "[…]"},
	{"tel. (09) 234 56 78", "tel. […]"},
	{"tel: +32 (0)9 234 56 78", "tel: […]"},
	{"+32 470 123 456, bedankt", "[…], bedankt"},
	{"mijn nummer is 0470 12 34 56 en mijn code K7M-4PQ", "mijn nummer is […] en mijn code […]"},
	{"Bel 0470 12 34 56 of mail jan@gent.be, code K7M-4PQ", "Bel […] of mail […], code […]"},
	{"0470 12 34 56 12/03/2026", "[…] 12/03/2026"},
	{"ref12345678x", "ref[…]x"},
	// French
	{"Appelez-moi au 06 12 34 56 78 ou écrivez à marie.dupont@gmail.com", "Appelez-moi au […] ou écrivez à […]"},
	{"Mon code : k7m 4pq, merci", "Mon code : […], merci"},
	{"mon e-mail: élodie.lefèvre@exemple.fr !", "mon e-mail: […] !"},
	{"écrivez-moi à marie arobase gmail point com", "écrivez-moi à […]"},
	// Arabic, with Arabic-Indic digits
	{"رقمي ٠٤٧٠١٢٣٤٥٦ شكرا", "رقمي […] شكرا"},
	{"اتصل بي على ٠٤٧٠ ١٢ ٣٤ ٥٦ من فضلك", "اتصل بي على […] من فضلك"},
	{"هاتفي +٣٢ ٤٧٠ ١٢ ٣٤ ٥٦", "هاتفي […]"},
	{"بريدي محمد@مثال.مصر شكرا", "بريدي […] شكرا"},
	// Persian (Dari), with Persian digits and a joiner inside words
	{"شماره من ۰۴۷۰ ۱۲ ۳۴ ۵۶ است", "شماره من […] است"},
	{"می‌خواهم با ۰۰۹۳۷۰۱۲۳۴۵۶۷ تماس بگیرم", "می‌خواهم با […] تماس بگیرم"},
	// Turkish
	{"Telefonum 0532 123 45 67, e-posta ayşe.yılmaz@örnek.com.tr", "Telefonum […], e-posta […]"},
	{"Numaram +90 532 123 45 67", "Numaram […]"},
	// Ukrainian and Russian
	{"Мій номер +380 67 123 4567, пошта олена@приклад.укр", "Мій номер […], пошта […]"},
	{"пишіть olena.k собака ukr точка net", "пишіть […]"},
	{"Мой код k7m-4pq", "Мой код […]"},
	// Polish, Romanian, Bulgarian, Spanish, Somali, Pashto/Dari, Tigrinya
	{"Mój numer 512-345-678", "Mój numer […]"},
	{"Numărul meu +40 721 234 567", "Numărul meu […]"},
	{"Моят телефон е 0888 123 456", "Моят телефон е […]"},
	{"Mi número: +34 612 34 56 78", "Mi número: […]"},
	{"Lambarkaygu waa +252 61 5123456", "Lambarkaygu waa […]"},
	{"زما شمېره +93 70 123 4567 ده", "زما شمېره […] ده"},
	{"ቁጽሪ ስልከይ +291 7 123 456", "ቁጽሪ ስልከይ […]"},
	{"(555) 123-4567", "[…]"},
	{"Niue +683 4002", "Niue […]"},
	// obfuscated e-mail addresses
	{"naam at gent dot be", "[…]"},
	{"naam (at) gent.be", "[…]"},
	{"naam[at]gent.be", "[…]"},
	{"naam @ gent . be", "[…]"},
	{"naam {at} gent {dot} be", "[…]"},
	{"jan.peeters＠gent．be", "[…]"},
	{"JAN AT GENT PUNT BE", "[…]"},
	{"jan apenstaartje telenet punt be", "[…]"},
	{"mail me at jan.peeters@gent.be", "mail me at […]"},
	{"0470123456@gent.be", "[…]"},
	{"(jan+balie@sub.gent.be)", "([…])"},
	{"x@xn--mnchen-3ya.de", "[…]"},
	{"Mail: JAN@GENT.BE.", "Mail: […]."},
	{"пишите ОЛЕНА СОБАКА UKR ТОЧКА NET", "пишите […]"},
	{"escríbeme a juan arroba correo punto es", "escríbeme a […]"},
	{"pisz: jan małpa wp kropka pl", "pisz: […]"},
	// booking codes
	{"K7M-4PQ", "[…]"},
	{"k7m4pq", "[…]"},
	{"code K7M 4PQ werkte niet", "code […] werkte niet"},
	{"k7m.4pq", "[…]"},
	{"code: K7M - 4PQ.", "code: […]."},
	{"codes K7M-4PQ en 9XY-C3D", "codes […] en […]"},
	{"AB-K7M-4PQ", "AB-[…]"},
	{"7KM4PQ?", "[…]?"},
	// national register numbers and IBANs
	{"rijksregister 85.07.30-033.28", "rijksregister […]"},
	{"85073003328", "[…]"},
	{"IBAN BE68 5390 0754 7034 dank", "IBAN […] dank"},
	{"be68539007547034", "[…]"},
	{"NL91 ABNA 0417 1643 00", "[…]"},
	{"FR14 2004 1010 0505 0001 3M02 606", "[…]"},
	{"Mijn IBAN is BE71 0961 2345 6769.", "Mijn IBAN is […]."},
	{"rekening BE71-0961-2345-6769 en BE68 5390 0754 7034", "rekening […] en […]"},
	// invisible characters cannot hide a number
	{"0470\u200b12\u200b34\u200b56", "[…]"},
	{"04\u200c70 12 34 56", "[…]"},
	{"0️⃣4️⃣7️⃣0️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣", "[…]"},
	{"K7M\u00ad-4PQ", "[…]"},
}

// kept must come out as they went in.
var kept = []string{
	"Afspraak op 12/03/2026 om 10:30",
	"12.03.2026",
	"12-03-2026",
	"2026-03-12",
	"12.3.2026",
	"12/25/2026",
	"van 12/03/2026 tot 15/03/2026",
	"12/03/2026 - 15/03/2026",
	"12/03/2026 10.30-12.00",
	"١٢/٠٣/٢٠٢٦ الساعة ١٠:٣٠",
	"۱۴۰۵/۰۱/۱۵",
	"schooljaar 2025-2026",
	"open van 9.00-12.00 en 13.00 - 16.30",
	"10:30-12:00",
	"om 10u30",
	"Prijs € 12,50",
	"€ 1.250.000",
	"12,50 euro of €12.50",
	"9000 Gent",
	"Botermarkt 1, 9000 Gent",
	"Kamer 1.05, bus 3",
	"huisnummer 123A",
	"Android 14, versie 2.3.1",
	"DANKJE",
	"MERCI!",
	"ACCEPT",
	"GEHEIM",
	"het jaar 2026",
	"3 dagen en 20 minuten wachten",
	"nummer 12",
	"tussen 2 en 3",
	"het 4de scherm",
	"the 4th day was better",
	"le 34e jour",
	"Look at www.gent.be",
	"www.gent.be/balie en https://stad.gent/nl",
	"@home",
	"Le délai était trop long !",
	"Ekran çok küçüktü.",
	"Екран був занадто малим.",
	"الشاشة كانت صغيرة جدا",
	"می‌خواهم فارسی بنویسم",
	"👩‍💻 top!",
	"+3 punten",
	"1 2 3",
	"",
}

func TestSuggestionRemoves(t *testing.T) {
	for _, c := range removed {
		if got := Suggestion(c.in); got != c.want {
			t.Errorf("Suggestion(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSuggestionKeeps(t *testing.T) {
	for _, in := range kept {
		if got := Suggestion(in); got != in {
			t.Errorf("Suggestion(%q) = %q, want it unchanged", in, got)
		}
		if f := Findings(in); len(f) > 0 {
			t.Errorf("Findings(%q) = %v, want none", in, f)
		}
	}
}

func TestSuggestionTidies(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"  a\n\n b\t c  ", "a b c"},
		{"a\r\nb", "a b"},
		{"a\x00b\x07c\x7f", "abc"},
		{"a\u202eb\u2066c", "abc"},       // bidi overrides
		{"\ufeffa\u200bb\u2060c", "abc"}, // BOM, zero-width space, word joiner
		{"a\xffb", "ab"},                 // invalid UTF-8
		{"a\u00a0\u00a0b\u2003c", "a b c"},
		{"\u200ca\u200c", "a"},     // a joiner next to ASCII joins nothing
		{"۱\u200c۲", "۱۲"},         // nor between digits
		{"ب\u200c \u200cب", "ب ب"}, // nor next to a space
	} {
		if got := Suggestion(c.in); got != c.want {
			t.Errorf("Suggestion(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSuggestionCuts(t *testing.T) {
	long := strings.Repeat("ab ", 300)
	got := Suggestion(long)
	if n := utf8.RuneCountInString(got); n > domain.MaxSuggestion {
		t.Errorf("%d runes, want at most %d", n, domain.MaxSuggestion)
	}
	if !strings.HasPrefix(long, got) || len(got) < 490 {
		t.Errorf("cut to %q", got)
	}
	// The cut turns "K7M-4PQX" into a code, which must go too.
	in := strings.Repeat("a", 492) + " K7M-4PQX"
	if f := Findings(in); len(f) > 0 {
		t.Fatalf("Findings before the cut = %v", f)
	}
	if got, want := Suggestion(in), strings.Repeat("a", 492)+" […]"; got != want {
		t.Errorf("Suggestion = …%q, want …%q", got[480:], want[480:])
	}
	// Never half a […].
	in = strings.Repeat("a", 498) + " 0470123456"
	if got, want := Suggestion(in), strings.Repeat("a", 498); got != want {
		t.Errorf("Suggestion = …%q, want …%q", got[480:], want[480:])
	}
	// A huge text is bounded, and the number torn at the bound goes.
	in = "x " + strings.Repeat(" ", 1<<20) + strings.Repeat("0470 12 34 56 ", 1000)
	if got := Suggestion(in); utf8.RuneCountInString(got) > domain.MaxSuggestion || len(Findings(got)) > 0 {
		t.Errorf("Suggestion of a huge text = %q", got)
	}
}

func TestSuggestionIdempotent(t *testing.T) {
	var all []string
	for _, c := range removed {
		all = append(all, c.in)
	}
	all = append(all, kept...)
	for _, in := range all {
		once := Suggestion(in)
		if twice := Suggestion(once); twice != once {
			t.Errorf("Suggestion(Suggestion(%q)) = %q, want %q", in, twice, once)
		}
		if f := Findings(once); len(f) > 0 {
			t.Errorf("Findings(Suggestion(%q)) = %v", in, f)
		}
	}
}

func TestFindings(t *testing.T) {
	in := "Bel 0470 12 34 56 of mail jan@gent.be, code K7M-4PQ, " +
		"rijksregister 85.07.30-033.28, rekening BE68 5390 0754 7034, naam at gent dot be"
	want := []Finding{
		{KindPhone, "0470 12 34 56"},
		{KindEmail, "jan@gent.be"},
		{KindCode, "K7M-4PQ"},
		{KindID, "85.07.30-033.28"},
		{KindIBAN, "BE68 5390 0754 7034"},
		{KindEmail, "naam at gent dot be"},
	}
	got := Findings(in)
	if len(got) != len(want) {
		t.Fatalf("Findings = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Findings[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	// The text found is that of the tidied text.
	if got := Findings("mail\n jan@gent.be\u200b"); len(got) != 1 || got[0].Text != "jan@gent.be" {
		t.Errorf("Findings = %v", got)
	}
}

// TestDigitValue checks what digitValue relies on: every run of decimal
// digits in Unicode is made of whole sets 0 to 9.
func TestDigitValue(t *testing.T) {
	run := 0
	for r := rune(0); r <= unicode.MaxRune+1; r++ {
		if r <= unicode.MaxRune && unicode.IsDigit(r) {
			run++
			continue
		}
		if run%10 != 0 {
			t.Errorf("a run of %d digits ends at %U", run, r-1)
		}
		run = 0
	}
	for r, want := range map[rune]rune{'٧': 7, '۴': 4, '０': 0, '９': 9, '𝟗': 9, '𝟎': 0, '७': 7, '႐': 0} {
		if got := digitValue(r); got != want {
			t.Errorf("digitValue(%q) = %d, want %d", r, got, want)
		}
	}
}

// benchText makes a 500-character suggestion from s.
func benchText(s string) string {
	for utf8.RuneCountInString(s) < 500 {
		s += "Dank je wel! "
	}
	return string([]rune(s)[:500])
}

// bench has some of everything to remove; benchClean has nothing.
var (
	bench = benchText("Het scherm was duidelijk, maar de knop 'Verder' stond te laag. Ik moest 3 keer " +
		"opnieuw beginnen. Mijn afspraak op 12/03/2026 om 10:30 (code K7M-4PQ) werkte pas na hulp. " +
		"Bel me gerust op 0470 12 34 56 of mail naar jan.peeters@gent.be. Prijs € 12,50 is ok. " +
		"رقمي ٠٤٧٠١٢٣٤٥٦ شكرا. Le délai était trop long, merci! Ekran çok küçüktü. " +
		"Екран був занадто малим, пишіть olena собака ukr точка net. 9000 Gent, Botermarkt 1. ")
	benchClean = benchText("Het scherm was duidelijk, maar de knop 'Verder' stond te laag. Ik moest 3 keer " +
		"opnieuw beginnen. Mijn afspraak op 12/03/2026 om 10:30 werkte pas na hulp van de onthaalmedewerker. " +
		"Prijs € 12,50 is ok. الشاشة كانت صغيرة جدا. Le délai était trop long, merci! Ekran çok küçüktü. " +
		"Екран був занадто малим. 9000 Gent, Botermarkt 1. ")
)

func BenchmarkSuggestion(b *testing.B) {
	for _, c := range []struct{ name, text string }{{"personal", bench}, {"clean", benchClean}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.text)))
			for b.Loop() {
				Suggestion(c.text)
			}
		})
	}
}
