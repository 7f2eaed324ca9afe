import Foundation
import RapportModels
import Testing

@Suite("Phone, e-mail and identity formats")
struct FormatTests {
    @Test(arguments: [
        ("13800138000", "+8613800138000"), ("+8613800138000", "+8613800138000"),
        ("+86 138-0013-8000", "+8613800138000"), ("199 1234 5678", "+8619912345678"),
        ("+442071838750", "+442071838750"), ("+1 (415) 555-2671", "+14155552671"),
        ("+861012345678", "+861012345678"),
    ])
    func validPhones(text: String, normalized: String) {
        #expect(PhoneNumber.isValid(text))
        #expect(PhoneNumber.normalized(text) == normalized)
    }

    @Test(arguments: [
        "12800138000", "1380013800", "138001380001", "+8612800138000", "+86138001380", "555-1234",
        "+0123456789", "+1234567", "+1234567890123456", "phone", "", "+86 138 0013 800x",
    ])
    func invalidPhones(text: String) {
        #expect(!PhoneNumber.isValid(text))
    }

    @Test func chineseMobilesAreRecognised() {
        #expect(PhoneNumber.isChineseMobile("+86 139 0000 1234"))
        #expect(!PhoneNumber.isChineseMobile("+442071838750"))
    }

    @Test(arguments: [
        "wang.fang@example.cn", "a@b.co", "first+tag@sub.example.co.uk", "王芳@例子.中国",
        "o'brien@example.ie",
    ])
    func validEmails(text: String) {
        #expect(EmailAddress.isValid(text))
    }

    @Test(arguments: [
        "wang", "@example.cn", "wang@", "wang@localhost", "wang@@example.cn", ".wang@example.cn",
        "wang.@example.cn", "wa..ng@example.cn", "wang@-example.cn", "wang@example.c",
        "wang fang@example.cn", "wang@example.123", "",
    ])
    func invalidEmails(text: String) {
        #expect(!EmailAddress.isValid(text))
    }

    @Test func residentIdNumbers() {
        #expect(IdentityNumber.isValidResidentId("11010519491231002X"))
        #expect(IdentityNumber.isValidResidentId("11010519491231002x"))
        #expect(!IdentityNumber.isValidResidentId("110105194912310021"))
        #expect(!IdentityNumber.isValidResidentId("110105194913310028"), "month 13")
        #expect(!IdentityNumber.isValidResidentId("11010519491231002"))
        #expect(IdentityNumber.residentIdCheckCharacter(forFirst17: "11010519491231002") == "X")
        #expect(IdentityNumber.residentIdCheckCharacter(forFirst17: "1101051949123100A") == nil)
    }

    @Test func unifiedSocialCreditCodes() {
        #expect(IdentityNumber.isValidUnifiedSocialCreditCode("91350100M000100Y43"))
        #expect(!IdentityNumber.isValidUnifiedSocialCreditCode("91350100M000100Y44"))
        #expect(!IdentityNumber.isValidUnifiedSocialCreditCode("91350100I000100Y43"), "I is not in the alphabet")
        #expect(IdentityNumber.unifiedSocialCreditCheckCharacter(forFirst17: "91350100M000100Y4") == "3")
    }

    @Test func calendarDates() throws {
        #expect(CalendarDate("2024-02-29")?.description == "2024-02-29")
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("1900-02-29") == nil)
        #expect(CalendarDate("2000-02-29") != nil)
        #expect(CalendarDate("2024-2-01") == nil)
        #expect(CalendarDate("２０２４-01-01") == nil)
        #expect(try #require(CalendarDate("2024-01-31")) < (try #require(CalendarDate("2024-02-01"))))
    }

    @Test func tagSetsAreWrittenSorted() throws {
        let tags: TagSet = ["b", "a", "c", "a"]
        #expect(tags.count == 3)
        #expect(String(decoding: try RapportJSON.encoder().encode(tags), as: UTF8.self) == #"["a","b","c"]"#)
        #expect(Array(tags) == ["a", "b", "c"])
    }
}
