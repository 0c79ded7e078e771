import TandemORM

extension LocalizableMessage {
    /// `Null characters are not allowed.`: text holds a NUL, which PostgreSQL cannot store.
    public static let nullCharacters = LocalizableMessage(
        "validation.null_characters", english: "Null characters are not allowed.")
    /// `This field may not be blank.`: a required text field is empty.
    public static let blank = LocalizableMessage("validation.blank", english: "This field may not be blank.")
    /// `Enter a valid URL.`
    public static let invalidURL = LocalizableMessage("validation.invalid_url", english: "Enter a valid URL.")
    /// `"{value}" is not a valid choice.`
    public static func invalidChoice(_ value: String) -> LocalizableMessage {
        LocalizableMessage(
            "validation.invalid_choice", english: "\"{value}\" is not a valid choice.", arguments: ["value": value])
    }
    /// `Ensure this value is greater than or equal to {minimum}.`
    public static func minimum(_ minimum: Int) -> LocalizableMessage {
        LocalizableMessage(
            "validation.minimum", english: "Ensure this value is greater than or equal to {minimum}.",
            arguments: ["minimum": String(minimum)])
    }
    /// `Enter a file name, without /.`
    public static let fileName = LocalizableMessage("validation.file_name", english: "Enter a file name, without /.")
    /// `This field must be unique.`: another row has the value.
    public static let unique = LocalizableMessage("validation.unique", english: "This field must be unique.")
    /// `Unexpected field.`: the input names a field the resource does not have.
    public static let unexpectedField = LocalizableMessage("validation.unexpected_field", english: "Unexpected field.")
}
